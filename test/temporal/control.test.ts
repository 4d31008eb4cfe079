/**
 * The campaign's control surface on a real Temporal dev server (started WITHOUT our search attributes,
 * so this file also proves campaigns run when they are absent): pause/resume, stop, budget stop, update
 * validators, hints reaching the meta-agent, and retrying failed generations while reusing stored trials.
 */
import path from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openStore } from '../../src/store/store';
import {
  addCampaignHint,
  campaignHandle,
  campaignStatus,
  pauseCampaign,
  resumeCampaign,
  retryCampaignGeneration,
  setCampaignBudget,
  startOrAttachCampaign,
  stopCampaign,
} from '../../src/temporal/client';
import {
  addHintUpdate,
  MAX_HINT_CHARS,
  progressQuery,
  retryGenerationSignal,
  setBudgetUpdate,
} from '../../src/workflows/definitions';
import { fakeProposer, fakeTrials, testPlan, writeSeedHarness } from './support/fakes';
import { startServer, startWorkers, tmpRoot, waitFor } from './support/env';

let env: TestWorkflowEnvironment;
let root: string;
const trials = fakeTrials(20);
const proposer = fakeProposer(['GOOD', 'BAD']);
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  env = await startServer({ searchAttributes: false });
  root = await tmpRoot();
  await writeSeedHarness(path.join(root, 'seed'));
  stopWorkers = (await startWorkers(env, { runTrial: trials.run, propose: proposer.propose })).stop;
});

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
});

const campaignHandleOf = (name: string) => campaignHandle(env.client, name);

const storedTrials = async (campaignDir: string, name: string): Promise<number> => {
  const store = await openStore(campaignDir);
  try {
    return (await store.listTrials(name)).length;
  } finally {
    await store.close();
  }
};

test('pause holds all work (even inside a generation) until resume', async () => {
  const plan = testPlan(root, 'pause', { concurrency: 1, generations: 1 });
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  await waitFor(
    async () =>
      (await campaignStatus(handle)).phase === 'generation' && (await storedTrials(plan.campaignDir, plan.name)) >= 8,
    30_000,
    'generation 1 trials',
  );
  await pauseCampaign(handle);
  await waitFor(async () => (await campaignStatus(handle)).paused, 10_000, 'paused');
  // The pause reaches the generation child as a forwarded signal: wait until the child itself holds.
  await waitFor(
    async () => {
      const child = (await campaignStatus(handle)).currentChild;
      return child !== null && (await env.client.workflow.getHandle(child).query(progressQuery)).paused;
    },
    30_000,
    'the generation to hold',
  );
  // Let the in-flight trial return and be recorded (the store write follows the runner's return).
  await waitFor(async () => trials.inFlightIn(plan.campaignDir) === 0, 30_000, 'the in-flight trial to return');
  await waitFor(
    async () => (await storedTrials(plan.campaignDir, plan.name)) >= trials.startedIn(plan.campaignDir),
    30_000,
    'the returned trial to be stored',
  );
  const held = await storedTrials(plan.campaignDir, plan.name);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await storedTrials(plan.campaignDir, plan.name)).toBe(held);
  expect(held).toBeLessThan(6 + 12);
  await resumeCampaign(handle);
  const summary = await handle.result();
  expect(summary.generations).toBe(1);
  expect(summary.ledger.trials).toBe(6 + 12 + 4);
});

test('pause while the last trials run: they finish, the evaluation completes, the next generation waits', async () => {
  const plan = testPlan(root, 'pause-tail', { concurrency: 6, generations: 1 }); // all 6 baseline trials at once
  trials.delayMs = 1500;
  try {
    const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
    // Pause once the baseline's trials are in flight: its lanes schedule all six in one workflow task, so one
    // started trial means none is left for the pause to hold back (a pause before that would hold them all).
    await waitFor(async () => trials.startedIn(plan.campaignDir) > 0, 60_000, 'the baseline trials to start');
    await pauseCampaign(handle);
    const held = await waitFor(
      async () => {
        const s = await campaignStatus(handle);
        return s.candidates.evaluated === 1 && s.phase === 'generation' ? s : null;
      },
      30_000,
      'the baseline to complete while paused',
    );
    expect(held).toMatchObject({ paused: true, phase: 'generation', generation: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    const store = await openStore(plan.campaignDir);
    expect(await store.listProposals(plan.name)).toEqual([]);
    await store.close();
  } finally {
    trials.delayMs = 20;
  }
  await resumeCampaign(campaignHandleOf(plan.name));
  expect((await campaignHandleOf(plan.name).result()).generations).toBe(1);
});

test('stop finishes the current generation, then runs the holdout', async () => {
  const plan = testPlan(root, 'stop', { generations: 50 });
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  await waitFor(async () => (await campaignStatus(handle)).generation >= 1, 30_000, 'generation 1');
  await stopCampaign(handle, 'enough for today');
  const summary = await handle.result();
  expect(summary.stopReason).toBe('enough for today');
  expect(summary.generations).toBeGreaterThanOrEqual(1);
  expect(summary.generations).toBeLessThanOrEqual(2);
  expect(summary.best?.holdoutScore).toBe(1);
});

test('updates validate their input; a budget update stops the campaign; hints reach the meta-agent', async () => {
  const plan = testPlan(root, 'budget', { generations: 50, budget: { trials: 1000 } });
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  await waitFor(async () => (await campaignStatus(handle)).phase !== 'preparing', 30_000, 'prepared');

  // Bypass the client-side check to prove the workflow's own validators reject bad input.
  await expect(handle.executeUpdate(setBudgetUpdate, { args: [{ usd: -1 }] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );
  await expect(handle.executeUpdate(setBudgetUpdate, { args: [{ trials: Number.NaN }] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );
  await expect(handle.executeUpdate(addHintUpdate, { args: ['   '] })).rejects.toThrow(WorkflowUpdateFailedError);
  await expect(handle.executeUpdate(addHintUpdate, { args: ['x'.repeat(MAX_HINT_CHARS + 1)] })).rejects.toThrow(
    WorkflowUpdateFailedError,
  );
  await expect(retryCampaignGeneration(handle)).rejects.toThrow(WorkflowUpdateFailedError);
  expect(() => setCampaignBudget(handle, { usd: -5 })).toThrow(/budget.usd/);

  expect(await addCampaignHint(handle, 'prefer small prompts')).toBe(1);
  await waitFor(
    async () => proposer.calls.some((c) => c.hints.includes('prefer small prompts')),
    30_000,
    'a proposal with the hint',
  );
  // Lower the trial budget to what is spent so far plus less than one generation (12 trials): it must stop.
  const spent = (await campaignStatus(handle)).spend.trials;
  expect(await setCampaignBudget(handle, { trials: spent + 13 })).toEqual({ trials: spent + 13 });
  const summary = await handle.result();
  expect(summary.stopReason).toMatch(/trial budget/);
  expect(summary.generations).toBeLessThan(50);
  expect(summary.ledger.trials - 4).toBeLessThanOrEqual(spent + 13); // the holdout (4 trials) still runs
  expect((await campaignStatus(handle)).budget).toEqual({ trials: spent + 13 });
});

test('a generation whose proposals are all invalid (unchanged harnesses) is a result: no wait, the campaign goes on', async () => {
  const plan = testPlan(root, 'all-invalid', { generations: 2, concurrency: 2 });
  proposer.unchangedNext = 2; // both proposals of gen-1 leave the harness as it was
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  const summary = await handle.result();
  expect(summary.generations).toBe(2);
  expect(summary.candidates.invalid).toBe(2);
  expect(summary.stopReason).toMatch(/2 generations/);
  expect(summary.ledger.proposals).toBe(4); // the unchanged proposals are charged as evaluations of the meta-agent
  const status = await campaignStatus(handle);
  expect(status.waitingForRetry).toBeNull();
  expect(status.lastError).toBeNull();
});

test('a failed generation waits for retryGeneration and reruns, reusing stored trials', async () => {
  const plan = testPlan(root, 'retry', { generations: 1, concurrency: 2 });
  proposer.failNext = 2; // both proposals of gen-1 fail: "every proposal was invalid"
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  const first = await waitFor(async () => (await campaignStatus(handle)).waitingForRetry, 30_000, 'waiting for retry');
  expect(first).toMatchObject({ generation: 1, attempt: 1 });
  expect(first.error).toMatch(/every proposal was invalid.*meta-agent unavailable/);
  expect((await campaignStatus(handle)).phase).toBe('waiting-for-retry');

  trials.failTask = 'c'; // now the trials of task c hit infrastructure errors
  expect(await retryCampaignGeneration(handle)).toBe(1);
  const second = await waitFor(
    async () => {
      const w = (await campaignStatus(handle)).waitingForRetry;
      return w && w.attempt === 2 ? w : null;
    },
    30_000,
    'second failure',
  );
  expect(second.error).toMatch(/docker hiccup on c/);
  const storedBefore = await storedTrials(plan.campaignDir, plan.name);
  expect(storedBefore).toBeGreaterThan(6);

  trials.failTask = null;
  await handle.signal(retryGenerationSignal);
  const summary = await handle.result();
  expect(summary.generations).toBe(1);
  expect(summary.best?.trainScore).toBeCloseTo(2 / 3);
  expect(proposer.calls.filter((c) => c.attemptLabel === 'gen-1-retry-2')).toHaveLength(2);

  const store = await openStore(plan.campaignDir);
  const stored = await store.listTrials(plan.name);
  await store.close();
  expect(stored).toHaveLength(6 + 12 + 4);
  for (const t of stored) expect(trials.runsOf(plan.campaignDir, t.trialId)).toBe(1); // nothing ran twice
  expect(summary.ledger.trials).toBe(stored.length); // charged once: at the failure, or at the rerun
  expect((await campaignStatus(handle)).trialsCached).toBe(storedBefore - 6);
});
