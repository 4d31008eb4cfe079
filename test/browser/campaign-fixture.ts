/**
 * A small but real campaign written through the store API into a tmp folder: a seed, an accepted child
 * (fixes t-b), a rejected child (breaks t-a), holdout trials for the seed and the winner, real ATIF
 * trajectories (made by TrajectoryRecorder) and real unified diffs. Shared by the report unit and
 * browser tests; the expected numbers below follow from these rewards, they are not read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import type { CampaignStore } from '../../src/store/store';
import { openStore } from '../../src/store/store';
import type { CandidateRecord } from '../../src/search/types';
import type { TrialResult } from '../../src/trial/types';

export const CAMPAIGN = 'demo';
export const SEED = 'h-seed000000000001';
export const GOOD = 'h-good000000000002';
export const BAD = 'h-bad0000000000003';
export const SEED_PROMPT = 'You are a terminal agent.\nBe brief.\n';
export const GOOD_PROMPT = 'You are a terminal agent.\nAlways run the tests before you finish.\n';
export const BAD_PROMPT = 'You are a terminal agent.\nNever use bash.\n';

/** Per train task rewards (one repeat) and holdout rewards. */
export const TRAIN: Record<string, Record<string, number>> = {
  [SEED]: { 't-a': 1, 't-b': 0, 't-c': 0 },
  [GOOD]: { 't-a': 1, 't-b': 1, 't-c': 0 },
  [BAD]: { 't-a': 0, 't-b': 0, 't-c': 0 },
};
export const HOLDOUT: Record<string, Record<string, number>> = {
  [SEED]: { 'h-x': 0, 'h-y': 0 },
  [GOOD]: { 'h-x': 1, 'h-y': 0 },
};

/** A deterministic clock: each store write is 30 s after the previous one. */
function clock(start = Date.parse('2025-06-01T10:00:00.000Z')): () => Date {
  let t = start;
  return () => new Date((t += 30_000));
}

export function commandFor(candidate: string, task: string): string {
  return `pytest -q tests/test_${task}.py  # ${candidate.slice(0, 6)}`;
}

export function trajectoryFor(candidate: string, task: string, reward: number): object {
  const rec = new TrajectoryRecorder({
    sessionId: `${candidate}-${task}`,
    agentName: 'autoagent-harness',
    model: 'claude-test',
  });
  rec.addStep({ source: 'system', message: candidate === GOOD ? GOOD_PROMPT : SEED_PROMPT });
  rec.addStep({ source: 'user', message: `Solve task ${task}.` });
  rec.addStep({
    source: 'agent',
    message: 'Let me look at the tests first.',
    reasoning: `The task ${task} has a tests folder.`,
    toolCalls: [{ id: 'toolu_1', name: 'bash', arguments: { command: commandFor(candidate, task) } }],
    observations: [
      {
        toolCallId: 'toolu_1',
        content: `${'collected 3 items\n'.repeat(40)}${reward ? '3 passed' : '1 failed, 2 passed'}`,
        isError: !reward,
      },
    ],
  });
  rec.addStep({
    source: 'agent',
    message: reward ? 'All tests pass; finishing.' : 'Out of ideas; finishing.',
    toolCalls: [{ id: 'toolu_2', name: 'finish', arguments: { summary: 'done' } }],
    observations: [{ toolCallId: 'toolu_2', content: 'ok' }],
  });
  rec.finish({
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
    turns: 2,
    durationMs: 5000,
    stopReason: 'finished',
  });
  return rec.toJSON();
}

export function trialResult(candidate: string, task: string, reward: number, repeat = 0): TrialResult {
  return {
    trialId: `tr-${candidate.slice(2, 6)}-${task}-${repeat}`,
    task,
    agent: 'harness',
    harnessId: candidate,
    model: 'claude-test',
    repeat,
    reward,
    error: null,
    stopReason: 'finished',
    turns: 2,
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
    verifier: {
      reward,
      reason: null,
      exitCode: reward ? 0 : 1,
      output: reward ? 'PASSED all checks' : `FAILED: ${task} expected output missing`,
    },
    timings: { buildMs: 10, startMs: 10, agentMs: 5000, verifyMs: 100, totalMs: 5120 },
    trajectoryPath: null,
    startedAt: '2025-06-01T10:00:00.000Z',
  };
}

export async function recordTrial(
  store: CampaignStore,
  candidate: string,
  task: string,
  reward: number,
  repeat = 0,
): Promise<void> {
  await store.recordTrial(trialResult(candidate, task, reward, repeat), {
    campaign: CAMPAIGN,
    candidateId: candidate,
    taskHash: `hash-${task}`,
    trajectoryJson: trajectoryFor(candidate, task, reward),
    verifierLog: `verifier log for ${task}`,
  });
}

function candidate(
  id: string,
  parentId: string | null,
  generation: number,
  status: CandidateRecord['status'],
  verdict: string,
  rationale: string,
): CandidateRecord {
  const rewards = TRAIN[id] ?? {};
  const taskRewards = Object.fromEntries(Object.entries(rewards).map(([t, r]) => [t, [r]]));
  const vals = Object.values(rewards);
  return {
    id,
    parentId,
    generation,
    status,
    verdict,
    rationale,
    taskRewards,
    meanReward: vals.reduce((a, b) => a + b, 0) / vals.length,
    costUsd: 0.05,
    complexity: 100,
  };
}

const patch = (a: string, b: string): string => createTwoFilesPatch('a/system.md', 'b/system.md', a, b);

/** Writes the whole campaign; returns its folder. `complete: false` leaves out holdout and the completed event. */
export async function writeDemoCampaign(opts: { complete?: boolean } = {}): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-report-'));
  const store = await openStore(dir, { now: clock() });
  try {
    await store.appendEvent(CAMPAIGN, 'prepared', {
      seed: SEED,
      train: 3,
      holdout: 2,
      budget: { usd: 5, trials: 100 },
    });
    for (const [task, r] of Object.entries(TRAIN[SEED] ?? {})) await recordTrial(store, SEED, task, r);
    await store.recordCandidate(candidate(SEED, null, 0, 'evaluated', 'seed', ''), {
      campaign: CAMPAIGN,
      harnessFiles: { 'system.md': SEED_PROMPT },
    });
    const usage = { inputTokens: 5000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.02 };
    for (const [id, rationale] of [
      [GOOD, 'Make the agent run the tests before finishing: t-b failed on an untested edit.'],
      [BAD, 'Bash is slow; forbid it.'],
    ] as const) {
      await store.recordProposal({
        proposalId: `p-${id}`,
        campaign: CAMPAIGN,
        generation: 1,
        parentId: SEED,
        candidateId: id,
        status: 'ok',
        error: null,
        rationale,
        usage,
      });
      for (const [task, r] of Object.entries(TRAIN[id] ?? {})) await recordTrial(store, id, task, r);
    }
    await store.recordCandidate(
      candidate(
        GOOD,
        SEED,
        1,
        'evaluated',
        'accepted: +0.333 over parent (p=0.04)',
        'Make the agent run the tests before finishing: t-b failed on an untested edit.',
      ),
      { campaign: CAMPAIGN, harnessFiles: { 'system.md': GOOD_PROMPT }, diff: patch(SEED_PROMPT, GOOD_PROMPT) },
    );
    await store.recordCandidate(
      candidate(BAD, SEED, 1, 'rejected', 'rejected: -0.333 vs parent', 'Bash is slow; forbid it.'),
      { campaign: CAMPAIGN, harnessFiles: { 'system.md': BAD_PROMPT }, diff: patch(SEED_PROMPT, BAD_PROMPT) },
    );
    if (opts.complete !== false) {
      for (const id of [GOOD, SEED])
        for (const [task, r] of Object.entries(HOLDOUT[id] ?? {})) await recordTrial(store, id, task, r);
      await store.appendEvent(CAMPAIGN, 'completed', { stopReason: 'max generations reached' });
    }
  } finally {
    await store.close();
  }
  return dir;
}
