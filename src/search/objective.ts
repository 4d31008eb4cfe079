/**
 * Objective seam: what "best" means when candidates are ranked, the frontier is built and the final pick is
 * made. `score` (the default) is the mean train reward alone — exactly the ranking campaigns always had.
 * A cost-aware objective `{ score: w, costUsd: -λ }` ranks by w·score − λ·(USD per task), where USD per task
 * is the mean over tasks of a candidate's mean trial cost (what running the harness on one task costs), and
 * adds cheapness as one more Pareto dimension, so a cheaper harness that solves the same tasks is not
 * dominated. Acceptance stays a paired test on rewards: cost never makes a noisy change look better.
 */
import type { CandidateRecord } from './types';

export interface Objective {
  /** Weight of the mean train reward (> 0). */
  score: number;
  /** Weight of the cost per task in USD (≤ 0: a cost is a penalty; 0 = score only). */
  costUsd: number;
}

export const SCORE_OBJECTIVE: Objective = { score: 1, costUsd: 0 };

/** True when cost counts: anything else ranks exactly as `objective: score`. */
export const isCostAware = (o: Objective | null | undefined): o is Objective =>
  o !== null && o !== undefined && o.costUsd !== 0;

/** The value a candidate is ranked by (higher is better); the plain mean reward under `objective: score`. */
export function utility(c: Pick<CandidateRecord, 'meanReward' | 'costPerTask'>, o?: Objective | null): number {
  if (!isCostAware(o)) return c.meanReward;
  return o.score * c.meanReward + o.costUsd * (c.costPerTask ?? 0);
}

/** One line for verdicts and reports: "score", or "1·score − 2·USD/task". */
export function describeObjective(o: Objective | null | undefined): string {
  return isCostAware(o) ? `${o.score}·score − ${-o.costUsd}·USD/task` : 'score';
}
