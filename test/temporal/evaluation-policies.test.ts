/**
 * Evaluation policies in the campaign workflow, on a real Temporal dev server with fake trials: a racing
 * campaign decides a clearly worse (or clearly better) child early, and its trials that could no longer
 * change the decision are cancelled through Temporal activity cancellation — the running ones see their
 * abort signal and record nothing, the queued ones never start; none of them is stored or charged.
 *
 * Determinism without timing: in the worse child's first round (every task once, in the policy's seeded
 * order) the trials after the ones the policy needs to decide block until cancelled, and the deciding
 * ones only return once those are running — so the decision always finds them in flight. The last of them
 * finishes anyway once cancelled, as a trial whose cancellation came too late: stored and charged once. RECORD_HISTORIES=1 writes the racing histories that replay.test.ts replays.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Proposer, TrialRunner } from '../../src/activities/ports';
import { EvaluationSpecSchema } from '../../src/search/evaluation/policy';
import { openStore } from '../../src/store/store';
import { startOrAttachCampaign } from '../../src/temporal/client';
import type { CampaignPlan, TaskRef } from '../../src/workflows/types';
import { startServer, startWorkers, tmpRoot } from './support/env';
import { appendToSystem, FAKE_PROPOSAL_USAGE, fakeTrialResult, testPlan, writeSeedHarness } from './support/fakes';
import { firstRoundOrder, trialsToDecide, type RacingCase } from './support/racing';

jest.setTimeout(300_000);

const HISTORIES = path.join(__dirname, '..', 'fixtures', 'histories');
const TASKS = ['t1', 't2', 't3', 't4', 't5', 't6'];
const REPEATS = 2;
const FULL = TASKS.length * REPEATS;
const SPEC = EvaluationSpecSchema.parse({ policy: 'racing' });
const task = (name: string): TaskRef => ({ name, dir: `/nonexistent/tasks/${name}`, hash: `hash-${name}` });
const RNG_SEED = 7;

let env: TestWorkflowEnvironment;
let root: string;
let stopWorkers: () => Promise<void>;

/** What the fake trials saw, per child harness id. */
const slowStarted = new Map<string, number>();
const aborted: string[] = [];
const completedAfterCancel: string[] = [];
let blocked = 0;

const until = async (ok: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
};

/** Resolves true when `signal` aborts, false after `ms` (a cancellation that never came). */
const abortedWithin = (signal: AbortSignal, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve(true);
      },
      { once: true },
    );
  });

/** The worse child (0 everywhere) against its seed (1 everywhere), as its racing policy sees it. */
const worseCase = (candidateId: string): RacingCase => ({
  spec: SPEC,
  rngSeed: RNG_SEED,
  candidateId,
  tasks: TASKS.map(task),
  repeats: REPEATS,
  parentScores: Object.fromEntries(TASKS.map((t) => [t, Array.from({ length: REPEATS }, () => 1)])),
});
/** The worse child's tasks that block until cancelled: its first round after the trials that decide it. */
const slowTasksOf = (childId: string): string[] =>
  firstRoundOrder(worseCase(childId)).slice(trialsToDecide(worseCase(childId), () => 0) ?? TASKS.length);

/** SOLVER solves every task, BAD none; CHILD marks a proposal's harness (see the module comment). */
const runTrial: TrialRunner = async (req) => {
  const sys = req.harness.systemTemplate;
  const reward = sys.includes('BAD') ? 0 : sys.includes('SOLVER') ? 1 : 0;
  const slow =
    sys.includes('CHILD BAD') && req.outDir.includes(`${path.sep}race-worse${path.sep}`)
      ? slowTasksOf(req.harness.id)
      : [];
  if (slow.includes(req.task.name)) {
    slowStarted.set(req.harness.id, (slowStarted.get(req.harness.id) ?? 0) + 1);
    blocked++;
    const cancelled = await abortedWithin(req.signal, 240_000).finally(() => blocked--);
    // The last one finishes anyway, as a trial whose cancellation came too late would: it is a result.
    if (cancelled && req.task.name === slow.at(-1))
      completedAfterCancel.push(`${req.harness.id}|${req.task.name}|${req.repeat}`);
    else if (cancelled) {
      aborted.push(`${req.harness.id}|${req.task.name}|${req.repeat}`);
      throw req.signal.reason;
    }
  } else if (slow.length > 0) {
    await until(() => (slowStarted.get(req.harness.id) ?? 0) >= slow.length, 120_000);
  }
  return fakeTrialResult(req, reward);
};

/** One proposal per generation: `CHILD BAD` in campaigns named *-worse, `CHILD SOLVER` elsewhere. */
const propose: Proposer = async (input) => {
  const edit = input.campaign.endsWith('-worse') ? 'CHILD BAD' : 'CHILD SOLVER';
  return {
    kind: 'ok',
    files: appendToSystem(input.parentHarness.files, edit),
    rationale: `add ${edit}`,
    usage: FAKE_PROPOSAL_USAGE,
    trajectoryRef: null,
  };
};

beforeAll(async () => {
  env = await startServer({ searchAttributes: false });
  root = await tmpRoot();
  // Enough trial slots for every trial of a generation at once: the slow ones must all start.
  stopWorkers = (await startWorkers(env, { runTrial, propose }, { concurrency: FULL + 2 })).stop;
});

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
});

async function policyPlan(name: string, seedText: string, evaluation = SPEC): Promise<CampaignPlan> {
  const seedDir = await writeSeedHarness(path.join(root, `seed-${name}`));
  await writeFile(path.join(seedDir, 'system.md'), `You are a careful agent. ${seedText}\n\nTask: {{instruction}}\n`);
  return testPlan(root, name, {
    seedHarness: seedDir,
    train: TASKS.map(task),
    holdout: [],
    repeats: REPEATS,
    proposalsPerGeneration: 1,
    concurrency: FULL,
    generations: 1,
    seed: RNG_SEED,
    evaluation,
    // Cancellation reaches a trial with its next heartbeat (every 5 s; sent at most every 0.8 × 10 s).
    runtime: { trialAttempts: 1, retryInitialIntervalMs: 100, heartbeatTimeoutMs: 10_000 },
  });
}

async function recordHistories(prefix: string, ids: string[]): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  for (const id of ids) {
    const history = await env.client.workflow.getHandle(id).fetchHistory();
    const file = `${prefix}--${id.replace(/[^a-z0-9-]+/gi, '_')}.json`;
    await writeFile(
      path.join(HISTORIES, file),
      JSON.stringify({ workflowId: id, history: JSON.parse(historyToJSON(history)) }, null, 1),
    );
  }
}

/** Runs a one-generation campaign (racing unless said) and reads back what it stored about its child. */
async function runRacing(name: string, seedText: string, evaluation = SPEC) {
  const plan = await policyPlan(name, seedText, evaluation);
  const { handle } = await startOrAttachCampaign(env.client, { name, input: { plan } });
  const summary = await handle.result();
  const store = await openStore(plan.campaignDir);
  try {
    const child = (await store.listCandidates(name)).find((c) => c.generation === 1);
    if (!child) throw new Error('no child candidate recorded');
    const trials = await store.listTrials(name);
    return { handle, summary, child, trials, childTrials: trials.filter((t) => t.candidateId === child.id) };
  } finally {
    await store.close();
  }
}

/** The verdict's "N trials not needed (S cancelled, U never started)". */
function savings(verdict: string): { started: number; unstarted: number } {
  const m = /(\d+) trials not needed \((\d+) cancelled, (\d+) never started\)/.exec(verdict);
  if (!m) throw new Error(`no savings in verdict: ${verdict}`);
  return { started: Number(m[2]), unstarted: Number(m[3]) };
}

/** Only the stored trials are charged (baseline in full + the child's) with the proposal; fewer than full's. */
function expectChargedAsStored(r: Awaited<ReturnType<typeof runRacing>>): void {
  expect(r.childTrials.length).toBeLessThan(FULL);
  expect(r.summary.ledger.trials).toBe(r.trials.length);
  expect(r.trials).toHaveLength(FULL + r.childTrials.length);
  expect(r.summary.ledger.costUsd).toBeCloseTo(r.trials.length * 0.01 + 0.1);
}

test('racing rejects a clearly worse child early and cancels its remaining trials', async () => {
  const r = await runRacing('race-worse', 'SOLVER');
  expect(r.child.status).toBe('rejected');
  expect(r.child.verdict).toMatch(/^racing: /);
  expect(r.summary.best?.candidateId).not.toBe(r.child.id);
  // The slow trials all started and saw their cancellation; all but the last ended by it; none still runs ...
  const slow = slowTasksOf(r.child.id);
  const [late, ...cancelled] = [slow.at(-1) as string, ...slow.slice(0, -1)];
  expect(cancelled.length).toBeGreaterThan(0); // the policy decides well before the first round is over
  expect(slowStarted.get(r.child.id)).toBe(slow.length);
  expect(aborted.filter((a) => a.startsWith(`${r.child.id}|`)).sort()).toEqual(
    cancelled.map((t) => `${r.child.id}|${t}|0`).sort(),
  );
  expect(blocked).toBe(0);
  expect(savings(r.child.verdict).started).toBeGreaterThanOrEqual(cancelled.length);
  // The one that completed although cancelled is a result: stored once, charged once (expectChargedAsStored).
  expect(completedAfterCancel).toEqual([`${r.child.id}|${late}|0`]);
  expect(r.childTrials.filter((t) => t.task === late)).toHaveLength(1);
  // ... through Temporal activity cancellation: the generation's history has them cancelled, not failed ...
  const history = await env.client.workflow.getHandle(`${r.handle.workflowId}/gen-1`).fetchHistory();
  const events = (JSON.parse(historyToJSON(history)) as { events: { eventType: string }[] }).events;
  const count = (type: string): number => events.filter((e) => e.eventType === type).length;
  expect(count('EVENT_TYPE_ACTIVITY_TASK_CANCELED')).toBeGreaterThanOrEqual(cancelled.length);
  expect(count('EVENT_TYPE_ACTIVITY_TASK_FAILED')).toBe(0);
  // ... and none is stored (nor cached: a rerun finds no row) or charged.
  expect(r.childTrials.filter((t) => cancelled.includes(t.task))).toEqual([]);
  expectChargedAsStored(r);
  const id = r.handle.workflowId;
  await recordHistories('racing', [id, `${id}/gen-1`]);
});

test('racing accepts a clearly better child once every task ran once, without the other repeats', async () => {
  const r = await runRacing('race-better', '');
  expect(r.child.status).toBe('evaluated');
  expect(r.child.verdict).toMatch(/^racing: /);
  expect(r.summary.best?.candidateId).toBe(r.child.id);
  // Accepting needs every task once: exactly the first round was run, stored and charged.
  expect(r.childTrials.map((t) => `${t.task}|${t.repeat}`).sort()).toEqual(TASKS.map((t) => `${t}|0`).sort());
  expectChargedAsStored(r);
});

describe('minibatch', () => {
  const MINI = EvaluationSpecSchema.parse({ policy: 'minibatch' });

  test('a child failing its screen is rejected on the screen alone', async () => {
    const r = await runRacing('mini-worse', 'SOLVER', MINI);
    expect(r.child.status).toBe('rejected');
    expect(r.child.verdict).toMatch(/^minibatch screen failed/);
    expect(r.childTrials.length).toBeGreaterThan(0);
    expectChargedAsStored(r);
  });

  test('a child passing its screen runs the rest, and the acceptance rule decides', async () => {
    const r = await runRacing('mini-better', '', MINI);
    expect(r.childTrials).toHaveLength(FULL);
    expect(r.child.status).toBe('evaluated');
    expect(r.child.verdict).toMatch(/stratified p=/); // the campaign's paired test, not the policy
    expect(r.summary.ledger.trials).toBe(r.trials.length);
  });
});
