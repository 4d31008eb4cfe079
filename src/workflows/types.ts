/**
 * Records that cross the workflow boundary (workflow inputs/outputs, activity inputs/outputs, carried
 * state). All JSON-safe: plain records and arrays only, because they are Temporal payloads and survive
 * continue-as-new. Activities return SMALL records; tasks, harnesses, trajectories and files are passed by
 * reference — content hashes and ids, resolved by each worker through the stores (src/store/references.ts).
 * The one path left is `campaignDir`, the campaign's home: where a local (SQLite, file:) store lives on the
 * machine that owns it; with shared stores only its name counts. `dir`, `seedHarness` and `programPath` fields
 * are read only in plans recorded before references (replayed histories) or built in-process by tests.
 */
import type { Usage } from '../llm/usage';
import type { EvaluationSpec } from '../search/evaluation/policy';
import type { Budget, Ledger } from '../search/ledger';
import type { Objective } from '../search/objective';
import type { SelectionName } from '../search/selection';
import type { StoneRules } from '../search/stepping-stones';
import type { CandidateRecord, SearchState } from '../search/types';

/** A task by reference: its content `hash` (keys the trial cache; workers fetch the task by it). */
export interface TaskRef {
  name: string;
  hash: string;
  /** Legacy: the client's task folder (plans from before references, or built in-process). */
  dir?: string;
}

export interface AcceptancePlan {
  /** campaign.yaml `acceptance.mode`: 'paired-test' beats the parent beyond noise; 'greedy': any mean improvement. */
  mode: 'paired-test' | 'greedy';
  alpha?: number;
  minDelta?: number;
  /**
   * Paired test for 'paired-test'. plan-from-config always sets it (campaign.yaml default 'stratified');
   * absent means a plan from before the option, so 'task-means' keeps in-flight campaigns replaying as recorded.
   */
  test?: 'stratified' | 'task-means';
}

/** Runtime knobs: mostly for tests and benchmarks; defaults suit real campaigns. */
export interface RuntimePlan {
  /** Continue-as-new after this many generations in one run (besides Temporal's own suggestion). */
  maxGenerationsPerRun?: number;
  /** Continue-as-new once the run's history has this many events. */
  maxHistoryEvents?: number;
  /**
   * Attempts per trial / proposal activity for systemic faults — model API outages, Docker hiccups, a lost
   * worker (default 3; campaign.yaml `runtime.faultRetry.maxAttempts`, default 10).
   */
  trialAttempts?: number;
  /** First retry delay for trials and proposals, ms (default 10 s); each next delay doubles. */
  retryInitialIntervalMs?: number;
  /** Longest delay between two attempts, ms (default 5 minutes). */
  retryMaximumIntervalMs?: number;
  /** Start-to-close timeout of one trial activity, ms (default 2 h). */
  trialTimeoutMs?: number;
  /** Heartbeat timeout of trial and proposal activities, ms (default 30 s). */
  heartbeatTimeoutMs?: number;
  /** Start-to-close timeout of one proposal, ms (default 1 h). */
  proposalTimeoutMs?: number;
}

/** What a campaign does, fully resolved (paths absolute, tasks hashed). Built by prepareCampaign. */
export interface CampaignPlan {
  name: string;
  /** Absolute; holds store.sqlite, harnesses/<id>/, proposals/, trials/. */
  campaignDir: string;
  /** The seed harness folder as a bundle in the artifact store (its sha256), published by the client. */
  seedBundle?: string;
  /** Legacy (before seedBundle): the client's seed folder. campaign.yaml's fields kept their names (plan-upgrade.ts). */
  seedHarness?: string;
  train: TaskRef[];
  holdout: TaskRef[];
  repeats: number;
  holdoutRepeats: number;
  proposalsPerGeneration: number;
  /** Most trials in flight at once per generation (sliding window). */
  concurrency: number;
  /** Seeds the search's randomness (selection, tie breaks, policy samples). */
  seed: number;
  selection: SelectionName;
  epsilon?: number;
  acceptance: AcceptancePlan;
  budget: Budget;
  /** Stop after this many generations; absent: only budget, target or plateau stop the campaign. */
  generations?: number;
  targetScore?: number;
  plateauGenerations?: number;
  hints: string[];
  /** What the meta-agent needs beyond the parent: the user's program.md and its model. */
  meta?: MetaPlan;
  runtime?: RuntimePlan;
  /** How a generation evaluates its children (campaign.yaml `evaluation`); absent = every trial, as before policies. */
  evaluation?: EvaluationSpec;
  /** Ranking weights (campaign.yaml `objective`); absent = score only, exactly as before it existed. */
  objective?: Objective;
  /** The reward.json metric trials are scored by (campaign.yaml `metric`); absent = `reward`. */
  metric?: string;
  /** Merge proposals every `every` generations (campaign.yaml `merge`); absent = never. */
  merge?: { every: number };
}

export interface MetaPlan {
  /** program.md (the user's directive, read-only for the meta-agent) as an artifact hash; null: the default. */
  programHash?: string | null;
  /** Legacy (before programHash): the client's program.md. */
  programPath?: string | null;
  /** Meta-agent model; null = the task model. */
  model: string | null;
  /**
   * campaign.yaml's explicit `taskModel`: written into the stored seed and every proposed candidate (the
   * meta-agent cannot change it). Absent: each harness runs its own harness.yaml `model`.
   */
  taskModel?: string;
  /** The optional LLM judge of reward hacking (campaign.yaml `tamperingJudge`); absent or null = off. */
  judge?: TamperingJudgePlan | null;
}

export interface TamperingJudgePlan {
  model: string;
  /** Judge the passing trials with repeat < sample (so at most sample × tasks per candidate). */
  sample: number;
}

/** A harness by reference: its content id (workers find its folder, or its published bundle, by it). */
export interface HarnessRef {
  id: string;
  complexity: number;
  /** Legacy: in refs recorded before references. */
  dir?: string;
}

export interface PreparedCampaign {
  plan: CampaignPlan;
  seed: HarnessRef;
  /** Custom search attributes registered on the server (absent ones are never upserted). */
  searchAttributes: string[];
}

/** Small result of one trial activity. `cached`: found in the store, not run (and not charged) again. */
export interface TrialOutcome {
  trialId: string;
  task: string;
  repeat: number;
  reward: number;
  error: string | null;
  usage: Usage;
  cached: boolean;
  /**
   * A passing trial whose trajectory the reward-tampering screen flagged: the findings, in one line. Absent
   * when clean, not passing, or recorded before the screen existed (replayed histories).
   */
  tampering?: string;
}

export interface TrialRequest {
  campaign: string;
  campaignDir: string;
  candidateId: string;
  /** The candidate's harness id (its folder is `harnesses/<id>/` of the campaign, or its published bundle). */
  harnessId?: string;
  /** Legacy (before harnessId): the candidate's folder. */
  harnessDir?: string;
  task: TaskRef;
  repeat: number;
  /** Score the trial by this reward.json metric instead of `reward` (absent = `reward`). */
  metric?: string;
}

export interface ProposalRequest {
  campaign: string;
  campaignDir: string;
  generation: number;
  /** Distinguishes reruns of a failed generation: `gen-<n>` or `gen-<n>-retry-<m>`. */
  attemptLabel: string;
  slot: number;
  parent: HarnessRef;
  hints: string[];
  trainTasks: TaskRef[];
  /** Holdout task names: the proposer must never show their trials to the meta-agent. */
  holdoutTasks: string[];
  meta: MetaPlan | null;
  /** Set for a merge proposal: the second frontier candidate to combine with `parent`. */
  merge?: MergeRequest;
}

/** A merge of `parent` with `other`, two frontier candidates that win on different train tasks. */
export interface MergeRequest {
  other: HarnessRef;
  /** Train tasks where the parent's mean reward is higher than the other's, and the reverse. */
  parentWins: string[];
  otherWins: string[];
}

/** `secondParentId`: set when the proposal was a merge (its other parent). */
export type ProposalOutcome =
  // diffHash: the stored artifact of its diff against the parent (absent in histories recorded before it was kept).
  | {
      slot: number;
      parentId: string;
      status: 'valid';
      candidate: HarnessRef;
      rationale: string;
      usage: Usage;
      secondParentId?: string;
      diffHash?: string;
    }
  | {
      slot: number;
      parentId: string;
      status: 'invalid';
      error: string;
      rationale: string;
      usage: Usage;
      secondParentId?: string;
    };

export interface CandidateEvaluation {
  candidateId: string;
  trials: TrialOutcome[];
  /** Set when the candidate itself is broken (non-retryable harness error during a trial). */
  error: string | null;
  /** The evaluation policy's own early decision; absent: the acceptance rule decides on `trials`. */
  decision?: PolicyDecision;
  /** Trials the policy no longer needed: started ones cancelled, queued ones never started (none charged). */
  cancelled?: { started: number; unstarted: number };
}

export interface PolicyDecision {
  accepted: boolean;
  /** "racing: …", "minibatch: …": which policy decided and why. */
  reason: string;
}

/** What an evaluation needs to run a policy: its spec, the campaign seed, each candidate's parent's rewards. */
export interface EvaluationPolicyPlan {
  spec: EvaluationSpec;
  seed: number;
  /** By candidate id: the parent's per-task repeat rewards (a candidate missing here runs the full schedule). */
  parentScores: Record<string, Record<string, number[]>>;
}

export interface EvaluationInput {
  campaign: string;
  campaignDir: string;
  candidates: HarnessRef[];
  tasks: TaskRef[];
  repeats: number;
  window: number;
  runtime?: RuntimePlan;
  /** Absent, or a `full` spec: every candidate × task × repeat (the baseline and holdout always). */
  policy?: EvaluationPolicyPlan;
  /** The objective reward metric (absent = `reward`). */
  metric?: string;
}

/**
 * A systemic model fault that stopped a generation: never a result. `credential` and `configuration` pause
 * the campaign (with `message` as the reason), `outage` (retries exhausted) waits for `retry-generation`.
 */
export interface SystemicFault {
  kind: 'credential' | 'configuration' | 'outage';
  message: string;
}

export interface EvaluationResult {
  evaluations: CandidateEvaluation[];
  /** Infrastructure failure (after retries) of at least one trial; completed trials are still reported. */
  failure: string | null;
  /** Set when the failure was a systemic model fault (absent in results recorded before faults were typed). */
  fault?: SystemicFault | null;
}

export interface GenerationInput {
  campaign: string;
  campaignDir: string;
  generation: number;
  attemptLabel: string;
  parents: HarnessRef[];
  /** Candidate ids already known to the campaign: identical proposals are not evaluated twice. */
  knownIds: string[];
  hints: string[];
  train: TaskRef[];
  repeats: number;
  window: number;
  paused: boolean;
  holdoutTasks: string[];
  meta: MetaPlan | null;
  runtime?: RuntimePlan;
  /** Per slot (aligned with `parents`): the merge that slot proposes, or null; absent = no merges. */
  merges?: (MergeRequest | null)[];
  /** The objective reward metric (absent = `reward`). */
  metric?: string;
  /** The campaign's evaluation policy; absent = full. `parentScores` by PARENT id (per-task repeat rewards). */
  evaluation?: Omit<EvaluationPolicyPlan, 'parentScores'> & { parentScores: Record<string, Record<string, number[]>> };
}

export interface GenerationResult {
  proposals: ProposalOutcome[];
  evaluations: CandidateEvaluation[];
  /** Why the generation failed (every proposal invalid, or trial infrastructure errors), else null. */
  failure: string | null;
  /** Set when the failure was a systemic model fault (a proposal's or a trial's). */
  fault?: SystemicFault | null;
}

export type CampaignPhase = 'preparing' | 'baseline' | 'generation' | 'waiting-for-retry' | 'holdout' | 'done';

export interface WaitingForRetry {
  generation: number;
  attempt: number;
  error: string;
  /** The systemic model fault behind the failure, if it was one. */
  fault?: SystemicFault['kind'];
}

/** Everything a campaign carries across continue-as-new. */
export interface CampaignCarry {
  prepared: PreparedCampaign;
  search: SearchState;
  ledger: Ledger;
  budget: Budget;
  hints: string[];
  startedAtMs: number;
  baselineDone: boolean;
  paused: boolean;
  stopRequested: boolean;
  stopReason: string | null;
  /** Next retry attempt number per generation being retried (0 = first attempt). */
  attempt: number;
  cachedTrials: number;
  rejectedCount: number;
  invalidCount: number;
  lastError: string | null;
  runs: number;
  /** Why the campaign paused itself (a credential or configuration fault); absent in older carries. */
  pauseReason?: string | null;
  /** Candidates rejected for reward tampering, newest last (at most MAX_FLAGGED); absent in older carries. */
  flagged?: FlaggedCandidate[];
  /** How stones are kept and whether one may ship; absent in carries from before (LEGACY_STONE_RULES). */
  stoneRules?: StoneRules;
}

/** A candidate the reward-tampering screen rejected, and why. */
export interface FlaggedCandidate {
  candidateId: string;
  generation: number;
  reason: string;
}

export type CampaignInput = { configPath: string } | { plan: CampaignPlan } | { carry: CampaignCarry };

export interface CampaignStatus {
  name: string;
  generation: number;
  phase: CampaignPhase;
  bestTrainScore: number | null;
  bestCandidateId: string | null;
  bestHoldoutScore: number | null;
  spend: Ledger;
  budget: Budget;
  trialsDone: number;
  trialsCached: number;
  /** Budgeted trials, or an estimate from maxGenerations, or null when unbounded. */
  trialsTotal: number | null;
  paused: boolean;
  /** Why the campaign paused itself (e.g. a rejected API key) and how to go on; null for a user's pause. */
  pauseReason: string | null;
  stopRequested: boolean;
  waitingForRetry: WaitingForRetry | null;
  /** Workflow id of the running child (generation, baseline or holdout): query it for progress. */
  currentChild: string | null;
  lastError: string | null;
  hints: number;
  candidates: { evaluated: number; rejected: number; invalid: number };
  /** Candidates rejected for reward tampering (the most recent ones), with the reason. */
  flagged: FlaggedCandidate[];
  /** Which run of the continue-as-new chain this is (0-based). */
  run: number;
}

export interface HoldoutScore {
  candidateId: string;
  trainScore: number;
  holdoutScore: number | null;
}

export interface CampaignSummary {
  name: string;
  generations: number;
  stopReason: string;
  best: HoldoutScore | null;
  seed: HoldoutScore | null;
  ledger: Ledger;
  frontier: CandidateRecord[];
  candidates: { evaluated: number; rejected: number; invalid: number };
  runs: number;
}

export type PrepareInput = { configPath: string } | { plan: CampaignPlan };

export interface RecordCandidatesInput {
  campaign: string;
  campaignDir: string;
  records: CandidateRecord[];
}

export interface RecordEventInput {
  campaign: string;
  campaignDir: string;
  kind: string;
  data?: unknown;
}

/**
 * The activities workflows call, declared here (workflow side) and implemented by createActivities in
 * src/activities, which is checked against it — so workflow code never imports activity modules.
 */
export interface Activities {
  prepareCampaign(input: PrepareInput): Promise<PreparedCampaign>;
  runTrial(req: TrialRequest): Promise<TrialOutcome>;
  proposeCandidate(req: ProposalRequest): Promise<ProposalOutcome>;
  recordCandidates(input: RecordCandidatesInput): Promise<number>;
  recordEvent(input: RecordEventInput): Promise<number>;
}
