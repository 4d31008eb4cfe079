/**
 * The runTrial activity outside Temporal, for unit tests: a throwaway campaign folder with its store, the
 * seed harness, requests for a task, and the activity around a given trial runner (the other ports unused).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ActivityDeps, TrialRunner } from '../../src/activities/ports';
import { createRunTrial } from '../../src/activities/trial';
import { openStore, type CampaignStore } from '../../src/store/store';
import type { TrialRequest } from '../../src/workflows/types';
import { writeSeedHarness } from '../temporal/support/fakes';

export interface TrialFixture {
  dir: string;
  store: CampaignStore;
  /** A request for `task` (content hash `hash-<task>` unless `over` says otherwise) of candidate h-x in campaign c. */
  request(task: string, over?: Partial<TrialRequest>): TrialRequest;
  activity(runTrial: TrialRunner): ReturnType<typeof createRunTrial>;
}

export async function trialFixture(prefix: string): Promise<TrialFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const harnessDir = await writeSeedHarness(path.join(dir, 'seed'));
  const store = await openStore(path.join(dir, 'campaign'));
  return {
    dir,
    store,
    request: (task, over = {}) => ({
      campaign: 'c',
      campaignDir: path.join(dir, 'campaign'),
      candidateId: 'h-x',
      harnessDir,
      task: { name: task, dir: '/nonexistent', hash: `hash-${task}` },
      repeat: 0,
      ...over,
    }),
    activity: (runTrial) =>
      createRunTrial(
        {
          runTrial,
          propose: () => Promise.reject(new Error('unused')),
          loadPlan: () => Promise.reject(new Error('unused')),
        } as ActivityDeps,
        async () => store,
      ),
  };
}
