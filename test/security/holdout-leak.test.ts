/**
 * Attack: a holdout task that is a byte copy of a train task. The trial cache keyed harness × task bytes ×
 * model × repeat served the holdout evaluation the train trial, so the "holdout" score was the train score
 * and the copy never ran. Now the task's name is part of the cache key and of the trial id: the copy runs
 * its own trial, stored under its own name, and the holdout score is measured on it.
 * A whole campaign on the real Temporal dev server; the trial itself is the fake trial port (the cache
 * and store around it are real). The fake scores "a" 1 and anything else 0, so a leak is visible.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openStore } from '../../src/store/store';
import { startOrAttachCampaign } from '../../src/temporal/client';
import { fakeProposer, fakeTrials, testPlan, writeSeedHarness } from '../temporal/support/fakes';
import { startServer, startWorkers, tmpRoot } from '../temporal/support/env';
import path from 'node:path';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let root: string;
const trials = fakeTrials();
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  env = await startServer({ searchAttributes: true });
  root = await tmpRoot();
  await writeSeedHarness(path.join(root, 'seed'));
  stopWorkers = (await startWorkers(env, { runTrial: trials.run, propose: fakeProposer(['GOOD']).propose })).stop;
});

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
});

test('a holdout task that is a byte copy of a train task runs its own trials (never served the train trial)', async () => {
  // Same bytes → same content hash; only the name differs.
  const same = 'sha256-of-identical-task-folders';
  const plan = testPlan(root, 'leak', {
    train: [{ name: 'a', dir: '/nonexistent/tasks/a', hash: same }],
    holdout: [{ name: 'a-copy', dir: '/nonexistent/tasks/a-copy', hash: same }],
    repeats: 1,
    holdoutRepeats: 1,
    generations: 0,
  });
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  const summary = await handle.result();

  const store = await openStore(plan.campaignDir);
  try {
    const stored = await store.listTrials(plan.name);
    const copy = stored.filter((t) => t.task === 'a-copy');
    // The copy ran: one trial of its own, recorded under its name, with its own (fake) reward.
    expect(copy).toHaveLength(1);
    expect(trials.runsOf(plan.campaignDir, copy[0]!.trialId)).toBe(1);
    expect(copy[0]!.reward).toBe(0);
    const train = stored.filter((t) => t.task === 'a');
    expect(train).toHaveLength(1);
    expect(train[0]!.trialId).not.toBe(copy[0]!.trialId);
    // The holdout score is the copy's, not the train trial's 1.
    expect(summary.best).toMatchObject({ trainScore: 1, holdoutScore: 0 });
    // Charged as two evaluations: nothing was served from the cache.
    expect(summary.ledger.trials).toBe(2);
  } finally {
    await store.close();
  }
});
