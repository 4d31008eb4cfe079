/** Builders for search unit tests (not a test file itself). */
import { meanReward } from '../../src/search/scores';
import type { CandidateRecord } from '../../src/search/types';

export function cand(
  id: string,
  taskRewards: Record<string, number[]>,
  over: Partial<CandidateRecord> = {},
): CandidateRecord {
  return {
    id,
    parentId: null,
    generation: 0,
    status: 'evaluated',
    verdict: '',
    rationale: '',
    taskRewards,
    meanReward: meanReward(taskRewards),
    costUsd: 0,
    complexity: 100,
    ...over,
  };
}

/** n tasks t00..t(n-1), each with a single repeat reward from `rewards`. */
export function tasks(rewards: number[]): Record<string, number[]> {
  return Object.fromEntries(rewards.map((r, i) => [`t${String(i).padStart(2, '0')}`, [r]]));
}
