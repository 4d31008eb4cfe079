/**
 * Deterministic fakes for the two expensive ports (a trial, a meta-agent proposal). Everything else the
 * activities use is real: harness folders validated by src/harness, the SQLite store, trial ids.
 * Reward model: a harness whose system prompt contains "BAD" scores 0 everywhere; otherwise task "a" and
 * holdout "h1" always score 1, and "GOOD" also solves "b" and "h2". So GOOD beats the seed, BAD is worse.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Proposer, TrialRunner } from '../../../src/activities/ports';
import type { Harness } from '../../../src/harness/schema';
import type { TrialResult } from '../../../src/trial/types';
import type { CampaignPlan, TaskRef } from '../../../src/workflows/types';

/** A clean trial result for a fake runner: one turn, $0.01, the verifier's reward as given; `over` changes any field. */
export function fakeTrialResult(
  req: Parameters<TrialRunner>[0],
  reward: number,
  over: Partial<TrialResult> = {},
): TrialResult {
  return {
    trialId: req.trialId,
    task: req.task.name,
    agent: 'harness',
    harnessId: req.harness.id,
    model: req.harness.config.model,
    repeat: req.repeat,
    reward,
    error: null,
    stopReason: 'finished',
    turns: 1,
    usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
    verifier: { reward, reason: null, exitCode: 0, output: '' },
    timings: { buildMs: 0, startMs: 0, agentMs: 1, verifyMs: 0, totalMs: 1 },
    trajectoryPath: null,
    startedAt: new Date(0).toISOString(),
    ...over,
  };
}

export function rewardFor(h: Harness, task: string): number {
  const text = h.systemTemplate;
  if (text.includes('BAD')) return 0;
  if (task === 'a' || task === 'h1') return 1;
  if ((task === 'b' || task === 'h2') && text.includes('GOOD')) return 1;
  return 0;
}

export interface FakeTrials {
  run: TrialRunner;
  /** Successful runs per `<outDir>|<trialId>` (trial ids repeat across campaigns: same harness, same task). */
  runs: Map<string, number>;
  runsOf(campaignDir: string, trialId: string): number;
  /** While set, trials of this task throw (an infrastructure error, retried by Temporal). */
  failTask: string | null;
  delayMs: number;
  total(): number;
  /** Trials of this campaign that have started (a test can wait for work to be in flight, not for the clock). */
  startedIn(campaignDir: string): number;
  /** Trials of this campaign started and not yet returned or thrown. */
  inFlightIn(campaignDir: string): number;
}

export function fakeTrials(delayMs = 0): FakeTrials {
  const started = new Map<string, number>();
  const ended = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const fake: FakeTrials = {
    runs: new Map(),
    failTask: null,
    delayMs,
    runsOf: (dir, id) => fake.runs.get(`${path.join(dir, 'trials')}|${id}`) ?? 0,
    total: () => [...fake.runs.values()].reduce((a, b) => a + b, 0),
    startedIn: (dir) => started.get(path.join(dir, 'trials')) ?? 0,
    inFlightIn: (dir) => fake.startedIn(dir) - (ended.get(path.join(dir, 'trials')) ?? 0),
    run: async (req) => {
      bump(started, req.outDir);
      try {
        if (fake.delayMs > 0) await new Promise((r) => setTimeout(r, fake.delayMs));
        if (fake.failTask === req.task.name) throw new Error(`docker hiccup on ${req.task.name}`);
        const key = `${req.outDir}|${req.trialId}`;
        fake.runs.set(key, (fake.runs.get(key) ?? 0) + 1);
        return fakeTrialResult(req, rewardFor(req.harness, req.task.name));
      } finally {
        bump(ended, req.outDir);
      }
    },
  };
  return fake;
}

export interface FakeProposer {
  propose: Proposer;
  calls: { generation: number; slot: number; attemptLabel: string; parentId: string; hints: string[] }[];
  /** Throw for the next N calls (a meta-agent outage). */
  failNext: number;
  /** The next N proposals return without editing the harness (the meta-agent "changed nothing"). */
  unchangedNext: number;
}

/** What one fake proposal costs. */
export const FAKE_PROPOSAL_USAGE = {
  inputTokens: 1000,
  outputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0.1,
};

/** A harness's files with a line appended to system.md (what the fake meta-agents propose). */
export const appendToSystem = (files: Record<string, string>, line: string): Record<string, string> => ({
  ...files,
  'system.md': `${files['system.md'] ?? ''}\n${line}\n`,
});

/** Slot i appends edits[i % edits.length] to system.md. */
export function fakeProposer(edits: string[]): FakeProposer {
  const fake: FakeProposer = {
    calls: [],
    failNext: 0,
    unchangedNext: 0,
    propose: async (input) => {
      fake.calls.push({
        generation: input.generation,
        slot: input.slot,
        attemptLabel: input.attemptLabel,
        parentId: input.parent.id,
        hints: input.hints,
      });
      if (fake.failNext > 0) {
        fake.failNext--;
        throw new Error('meta-agent unavailable');
      }
      if (fake.unchangedNext > 0) {
        fake.unchangedNext--;
        return {
          kind: 'ok',
          files: input.parentHarness.files,
          rationale: 'nothing to change',
          usage: FAKE_PROPOSAL_USAGE,
          trajectoryRef: null,
        };
      }
      const edit = edits[input.slot % edits.length] ?? '';
      return {
        kind: 'ok',
        files: appendToSystem(input.parentHarness.files, edit),
        rationale: `add ${edit}`,
        usage: FAKE_PROPOSAL_USAGE,
        trajectoryRef: null,
      };
    },
  };
  return fake;
}

export async function writeSeedHarness(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'harness.yaml'), 'model: fake-model\nmaxTurns: 5\n');
  await writeFile(path.join(dir, 'system.md'), 'You are a careful agent.\n\nTask: {{instruction}}\n');
  return dir;
}

const task = (name: string): TaskRef => ({ name, dir: `/nonexistent/tasks/${name}`, hash: `hash-${name}` });

export function testPlan(root: string, name: string, over: Partial<CampaignPlan> = {}): CampaignPlan {
  return {
    name,
    campaignDir: path.join(root, name),
    seedHarness: path.join(root, 'seed'),
    train: ['a', 'b', 'c'].map(task),
    holdout: ['h1', 'h2'].map(task),
    repeats: 2,
    holdoutRepeats: 1,
    proposalsPerGeneration: 2,
    concurrency: 4,
    // GOOD gains one task (b: [0,0] → [1,1]): the stratified test gives p = 1/C(4,2) = 1/6, hence alpha 0.2.
    seed: 7,
    selection: 'best',
    acceptance: { mode: 'paired-test', test: 'stratified', alpha: 0.2, minDelta: 0.05 },
    budget: {},
    generations: 2,
    hints: [],
    runtime: { trialAttempts: 1, retryInitialIntervalMs: 100, heartbeatTimeoutMs: 30_000 },
    ...over,
  };
}
