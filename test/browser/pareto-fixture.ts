/**
 * A small campaign for the Pareto view and merge lineage, written through the store API: the seed (cheap,
 * solves 1 of 3), a pricey child that solves 2, a cheap-and-terse child that solves 2 with fewer tokens but
 * dearer dollars than the seed, a rejected child dear on both, and a merge of the two children (both parents
 * recorded) that solves all 3 at a middling price. Trials carry their own cost and tokens, so the expected
 * per-task figures below follow from these numbers (they are not read back from the code under test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/store';
import type { CandidateRecord } from '../../src/search/types';
import type { TrialResult } from '../../src/trial/types';

export const CAMPAIGN = 'pareto';
export const SEED = 'h-seed0000000000a1';
export const PRICEY = 'h-pricey00000000a2';
export const TERSE = 'h-terse000000000a3';
export const DEAR = 'h-dear0000000000a4';
export const MERGED = 'h-merged00000000a5';

interface Spec {
  rewards: Record<string, number>;
  costUsd: number;
  tokens: number;
  parentId: string | null;
  secondParentId?: string;
  generation: number;
  status: CandidateRecord['status'];
}

/** USD and tokens per trial (every trial of a candidate costs the same, so that is its per-task figure). */
export const SPECS: Record<string, Spec> = {
  [SEED]: {
    rewards: { 't-a': 1, 't-b': 0, 't-c': 0 },
    costUsd: 0.01,
    tokens: 2000,
    parentId: null,
    generation: 0,
    status: 'evaluated',
  },
  [PRICEY]: {
    rewards: { 't-a': 1, 't-b': 1, 't-c': 0 },
    costUsd: 0.2,
    tokens: 9000,
    parentId: SEED,
    generation: 1,
    status: 'evaluated',
  },
  [TERSE]: {
    rewards: { 't-a': 1, 't-b': 0, 't-c': 1 },
    costUsd: 0.05,
    tokens: 1000,
    parentId: SEED,
    generation: 1,
    status: 'evaluated',
  },
  [DEAR]: {
    rewards: { 't-a': 0, 't-b': 0, 't-c': 0 },
    costUsd: 0.3,
    tokens: 12000,
    parentId: SEED,
    generation: 1,
    status: 'rejected',
  },
  [MERGED]: {
    rewards: { 't-a': 1, 't-b': 1, 't-c': 1 },
    costUsd: 0.1,
    tokens: 5000,
    parentId: PRICEY,
    secondParentId: TERSE,
    generation: 2,
    status: 'evaluated',
  },
};

function trial(id: string, task: string, reward: number, s: Spec): TrialResult {
  const usage = {
    inputTokens: s.tokens - 100,
    outputTokens: 100,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: s.costUsd,
  };
  return {
    trialId: `tr-${id.slice(2, 8)}-${task}`,
    task,
    agent: 'harness',
    harnessId: id,
    model: 'claude-test',
    repeat: 0,
    reward,
    error: null,
    stopReason: 'finished',
    turns: 2,
    usage,
    verifier: { reward, reason: null, exitCode: reward ? 0 : 1, output: '' },
    timings: { buildMs: 1, startMs: 1, agentMs: 1, verifyMs: 1, totalMs: 4 },
    trajectoryPath: null,
    startedAt: '2025-06-01T10:00:00.000Z',
  };
}

export async function writeParetoCampaign(
  opts: { objective?: { score: number; costUsd: number } } = {},
): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-pareto-'));
  let t = Date.parse('2025-06-01T10:00:00.000Z');
  const store = await openStore(dir, { now: () => new Date((t += 30_000)) });
  try {
    await store.appendEvent(CAMPAIGN, 'prepared', {
      seed: SEED,
      trainTasks: ['t-a', 't-b', 't-c'],
      holdoutTasks: [],
      objective: opts.objective ?? null,
    });
    for (const [id, s] of Object.entries(SPECS)) {
      for (const [task, r] of Object.entries(s.rewards))
        await store.recordTrial(trial(id, task, r, s), {
          campaign: CAMPAIGN,
          candidateId: id,
          taskHash: `hash-${task}`,
        });
      const vals = Object.values(s.rewards);
      await store.recordCandidate(
        {
          id,
          parentId: s.parentId,
          ...(s.secondParentId ? { secondParentId: s.secondParentId } : {}),
          generation: s.generation,
          status: s.status,
          verdict: s.secondParentId ? 'merge accepted' : 'ok',
          rationale: '',
          taskRewards: Object.fromEntries(Object.entries(s.rewards).map(([k, v]) => [k, [v]])),
          meanReward: vals.reduce((a, b) => a + b, 0) / vals.length,
          costUsd: s.costUsd * vals.length,
          complexity: 100,
        },
        { campaign: CAMPAIGN, harnessFiles: { 'system.md': id } },
      );
    }
  } finally {
    await store.close();
  }
  return dir;
}
