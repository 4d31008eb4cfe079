/**
 * campaign.yaml `metric`: a trial is scored by that reward.json metric (Harbor multi-metric rewards), fresh
 * and from the cache alike; every metric stays on the stored record; `reward` is the default.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { ActivityDeps, TrialRunner } from '../../src/activities/ports';
import { createRunTrial } from '../../src/activities/trial';
import { openStore, type CampaignStore } from '../../src/store/store';
import type { TrialOutcome, TrialRequest } from '../../src/workflows/types';
import { fakeTrialResult, writeSeedHarness } from '../temporal/support/fakes';

let dir: string;
let store: CampaignStore;
let harnessDir: string;
let runs = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aa-metric-'));
  harnessDir = await writeSeedHarness(path.join(dir, 'seed'));
  store = await openStore(path.join(dir, 'campaign'));
});
afterAll(() => store.close());

const runTrial: TrialRunner = async (req) => {
  runs++;
  // As the pipeline gives it: no `reward` key is the verifier's reason, the metrics are kept.
  return fakeTrialResult(req, 0, {
    error: 'RewardParseError: no "reward" metric',
    verifier: {
      reward: 0,
      reason: 'no "reward" metric',
      exitCode: 0,
      output: '',
      rewards: { accuracy: 0.75, f1: 0.5 },
    },
  });
};
const activity = createRunTrial(
  {
    runTrial,
    propose: () => Promise.reject(new Error('unused')),
    loadPlan: () => Promise.reject(new Error('unused')),
  } as ActivityDeps,
  async () => store,
);
const request = (metric?: string): TrialRequest => ({
  campaign: 'c',
  campaignDir: path.join(dir, 'campaign'),
  candidateId: 'h-x',
  harnessDir,
  task: { name: 'mm', dir: '/nonexistent', hash: 'hash-mm' },
  repeat: 0,
  ...(metric ? { metric } : {}),
});

test('scored by the named metric, fresh and cached; by reward without one', async () => {
  const env = new MockActivityEnvironment();
  const run = (metric?: string): Promise<TrialOutcome> => env.run(activity, request(metric)) as Promise<TrialOutcome>;
  expect((await run('accuracy')).reward).toBe(0.75);
  expect(runs).toBe(1);
  const cached = await run('f1');
  expect(cached).toMatchObject({ reward: 0.5, cached: true });
  expect(runs).toBe(1);
  expect((await run()).reward).toBe(0);
  expect((await run('missing')).reward).toBe(0);
  expect((await store.listTrials('c'))[0]?.result.verifier.rewards).toEqual({ accuracy: 0.75, f1: 0.5 });
});
