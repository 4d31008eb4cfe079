/**
 * The report's data blob: everything the client renders, JSON-safe, built from the store by data.ts and
 * inlined in the HTML (or served as /data.json by the live view). Trajectories are NOT in here: they are
 * loaded per trial on demand (see trajectories.ts), so the blob stays small for 10,000 trials.
 */
import type { Budget } from '../search/ledger';
import type { CandidateStatus } from '../search/types';

/** `running`: trials recorded for a candidate the campaign has not scored yet (generation in progress). */
type CandidateViewStatus = CandidateStatus | 'running';

export interface CandidateView {
  id: string;
  parentId: string | null;
  generation: number;
  status: CandidateViewStatus;
  verdict: string;
  rationale: string;
  /** Mean train reward (as scored by the campaign; from trials while running). */
  train: number | null;
  /** Mean holdout reward over holdout trials, null when never run on holdout. */
  holdout: number | null;
  /** train − parent's train; null for roots or unscored. */
  delta: number | null;
  costUsd: number;
  complexity: number;
  /** Unified diff against the parent, null when not stored. */
  diff: string | null;
  /** A merge's second parent (parentId is the one it was tested against); null otherwise. */
  secondParentId: string | null;
  trials: number;
  createdAt: string;
  /** Mean of each reward.json metric over the candidate's train trials ({} when its tasks report only a reward). */
  metrics: Record<string, number>;
}

/** One candidate in the Pareto view: train score against cost per task and tokens per task (pareto.ts). */
export interface ParetoPoint {
  candidateId: string;
  status: CandidateViewStatus;
  train: number;
  costPerTask: number;
  tokensPerTask: number;
  /** Not dominated on (score, USD per task), resp. (score, tokens per task), among the scored candidates. */
  onCostFront: boolean;
  onTokensFront: boolean;
}

/** One cell of the task × candidate heatmap. */
export interface HeatCell {
  candidateId: string;
  task: string;
  split: 'train' | 'holdout';
  /** Mean reward over repeats. */
  mean: number;
  n: number;
  /** vs the parent on the same task: 1 fixed (better), −1 broke (worse), 0 same or no parent data. */
  flip: -1 | 0 | 1;
}

/** Compact per-trial index row (full trial + trajectory are loaded on open). */
export interface TrialIndexRow {
  id: string;
  candidateId: string | null;
  task: string;
  split: 'train' | 'holdout';
  repeat: number;
  reward: number;
  error: string | null;
  stopReason: string;
  turns: number;
  costUsd: number;
  tokens: number;
  durationMs: number;
  createdAt: string;
  hasTrajectory: boolean;
  /** Every metric of a multi-metric reward.json (absent when the verifier wrote only a reward). */
  metrics?: Record<string, number>;
}

export interface Summary {
  bestId: string | null;
  bestTrain: number | null;
  bestHoldout: number | null;
  /** bestTrain − bestHoldout: how much the best candidate overfits train. */
  gap: number | null;
  seedId: string | null;
  seedTrain: number | null;
  seedHoldout: number | null;
  improvementTrain: number | null;
  improvementHoldout: number | null;
  spendUsd: number;
  tokens: number;
  budget: Budget | null;
  trialsDone: number;
  trialsPerMin: number | null;
  phase: string;
  generation: number;
  stopReason: string | null;
  startedAt: string | null;
  lastActivityAt: string | null;
  counts: { evaluated: number; rejected: number; invalid: number; running: number };
}

/** Cumulative spend and trials over time (one point per trial or proposal, time in unix seconds). */
export interface TimeSeries {
  t: number[];
  trials: number[];
  costUsd: number[];
}

interface ReportEvent {
  id: number;
  kind: string;
  createdAt: string;
  data: unknown;
}

export interface ReportData {
  campaign: string;
  generatedAt: string;
  /** Changes whenever the store gains records; the live client re-renders only when it changes. */
  version: string;
  summary: Summary;
  /** The workflow's own status (live view with a Temporal connection), else null. */
  status: unknown;
  /** `identical`: groups of task names with the same content hash (a holdout copy of a train task, say). */
  tasks: { train: string[]; holdout: string[]; identical: string[][] };
  candidates: CandidateView[];
  /** Score against cost per task and tokens per task, non-dominated candidates marked. */
  pareto: ParetoPoint[];
  heat: HeatCell[];
  trials: TrialIndexRow[];
  time: TimeSeries;
  events: ReportEvent[];
}

/** What the trajectory viewer opens for one trial. */
export interface TrialPayload {
  trialId: string;
  task: string;
  reward: number;
  error: string | null;
  stopReason: string;
  verifier: { reward: number; reason: string | null; exitCode: number | null; output: string };
  verifierLog: string | null;
  /** ATIF trajectory JSON, or null when none was stored. */
  trajectory: unknown;
  /** Set when the trajectory was too large to inline and was left out. */
  omitted: string | null;
}
