/**
 * Search records: JSON-safe (arrays and plain records only, never Map/Set) because they live in workflow
 * state and cross continue-as-new. Candidates are one array of records, never parallel lists.
 */
import type { Objective } from './objective';

/**
 * - `evaluated`: scored on train and accepted (joined the frontier pool; the seed is always this);
 * - `rejected`: scored on train but did not beat its parent (kept for the experiment log; never a parent,
 *   except a stepping stone — one with `anchorId`, see stepping-stones.ts);
 * - `invalid`: the proposal failed validation or the meta-agent errored; no trials were run.
 */
export type CandidateStatus = 'evaluated' | 'rejected' | 'invalid';

export interface CandidateRecord {
  /** Harness id (content hash), so the same harness is the same candidate. */
  id: string;
  parentId: string | null;
  generation: number;
  status: CandidateStatus;
  /** One line: the acceptance reason, or why the proposal was invalid. */
  verdict: string;
  /** The meta-agent's rationale for the change. */
  rationale: string;
  /** Per train task, the reward of each repeat. Empty for invalid candidates. */
  taskRewards: Record<string, number[]>;
  /** Mean over tasks of the per-task mean reward (see scores.ts). */
  meanReward: number;
  /** Cost of the proposal plus its trials, USD. */
  costUsd: number;
  /** Size of the harness (e.g. total bytes); smaller wins ties. */
  complexity: number;
  /**
   * Mean over tasks of the mean trial cost, USD (what one task costs this harness; cached trials count at
   * what they cost when run). Absent for invalid candidates and in records from before it was kept.
   */
  costPerTask?: number;
  /** Mean over tasks of the mean trial tokens (same shape as costPerTask). */
  tokensPerTask?: number;
  /** A merge proposal's second parent (the first is parentId); absent or null otherwise. */
  secondParentId?: string | null;
  /**
   * Set on a rejected child kept as a stepping stone (stepping-stones.ts): the accepted ancestor its own
   * children are tested against. Absent on every other record.
   */
  anchorId?: string;
  /** The stored artifact (sha256) of its unified diff against parentId, computed once when it was proposed. */
  diffHash?: string | null;
}

export interface SearchState {
  candidates: CandidateRecord[];
  /** Ids of non-dominated accepted candidates (see frontier.ts). */
  frontierIds: string[];
  /** Index of the last completed generation: 0 once the seed is evaluated. */
  generation: number;
  /** Serialised rng state (see rng.ts). */
  rngState: number;
  /** campaign.yaml `objective`; absent = score only (and in carries from before it existed). */
  objective?: Objective;
}

/** The narrow read-only view strategies get: they never mutate state. */
export interface SearchView {
  readonly candidates: readonly CandidateRecord[];
  readonly frontierIds: readonly string[];
  /** How candidates are ranked (objective.ts); absent = score only. */
  readonly objective?: Objective;
}
