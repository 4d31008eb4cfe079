/**
 * Evaluation policy seam (beside selection, acceptance and stoppers): which trials a candidate runs, in
 * what order, and when the evidence already decides it so the rest can be cancelled.
 *
 * Contract (the workflow codes against exactly this):
 * - Pure and deterministic: no I/O, no Date, no Math.random (seeded draws from ../rng only). A policy is
 *   a pair of functions of plain-JSON arguments, so it keeps no state of its own: the workflow's record
 *   of planned and observed trials *is* the state, and it survives replay and continue-as-new.
 * - `initial(input)` is the first schedule: trials to queue, in the order to start them. The workflow
 *   starts queued trials in order, as many at once as its window allows.
 * - `next(input, observed, pending)` is called after every settled trial (or batch of trials) with every
 *   trial of this candidate observed so far (any order: policies never depend on completion order) and
 *   every trial planned but not yet observed, started or not (`pending`). It answers:
 *   - `continue` with `schedule`: trials to append to the queue (possibly none: wait for `pending`);
 *     never a trial already observed or pending. A policy never answers `continue` with an empty
 *     schedule when nothing is pending.
 *   - `stop`: the evaluation is over. The workflow cancels every pending trial (a started one is
 *     cancelled through Temporal activity cancellation; an unstarted one is never started or charged).
 *     `decided: null` means "evaluation complete: the campaign's acceptance rule (../acceptance) decides
 *     on the observed trials"; `accept` / `reject` is the policy's own early decision, with `reason`.
 * - Scores are trial rewards in [0, 1]. `parentScores` holds the parent's recorded per-task repeat
 *   rewards; the seed (no parent) passes `{}`, and then every policy runs the full schedule (`decided: null`).
 * - Repeat numbers of one task are 0, 1, 2, … with no gaps; extra repeats (racing) continue the count past
 *   `repeats - 1`, so (task, repeat) identifies a trial. A policy may also run fewer than `repeats` on a
 *   task (racing skips tasks whose outcome is not in doubt), so a record's repeat counts may differ by task.
 */
import { z } from 'zod';

export interface PlannedTrial {
  task: string;
  repeat: number;
}

export interface ObservedTrial extends PlannedTrial {
  /** The trial's reward in [0, 1] (a failed trial is 0, as everywhere). */
  score: number;
}

export interface PolicyInput {
  /** Train tasks, in campaign order. */
  tasks: string[];
  /** Repeats per task of the ordinary (full) schedule. */
  repeats: number;
  /** The parent's per-task repeat rewards, from its candidate record; `{}` for the seed. */
  parentScores: Record<string, number[]>;
  /** Seed of this candidate's evaluation (e.g. deriveSeed(campaignSeed, 'evaluation', candidateId)). */
  seed: number;
  spec: EvaluationSpec;
}

export type PolicyStep =
  | { verdict: 'continue'; schedule: PlannedTrial[] }
  | { verdict: 'stop'; decided: 'accept' | 'reject' | null; reason: string };

export interface EvaluationPolicy {
  readonly name: EvaluationPolicyName;
  initial(input: PolicyInput): PlannedTrial[];
  next(input: PolicyInput, observed: readonly ObservedTrial[], pending: readonly PlannedTrial[]): PolicyStep;
}

const EVALUATION_POLICIES = ['full', 'minibatch', 'racing'] as const;
export type EvaluationPolicyName = (typeof EVALUATION_POLICIES)[number];

/**
 * The default policy (a campaign.yaml without `evaluation`, or without its `policy`): the one
 * benchmarks/search-sim shows best. Under STONE_RULES (../stepping-stones.ts) that is minibatch: the highest
 * true holdout success of every strategy on all three shipped scenarios, GEPA-style's and keep/discard's
 * included, with a false-acceptance rate below alpha (the table is in benchmarks/search-sim/README.md).
 */
export const DEFAULT_EVALUATION_POLICY: EvaluationPolicyName = 'minibatch';

const num = (what: string) => z.number({ required_error: 'required', invalid_type_error: `expected ${what}` });
const positiveInt = () =>
  num('a positive integer').int('expected a positive integer').positive('expected a positive integer');
const nonNegInt = () =>
  num('a non-negative integer').int('expected a non-negative integer').min(0, 'expected a non-negative integer');
const level = () =>
  num('a number').gt(0, 'expected a number between 0 and 1').lt(1, 'expected a number between 0 and 1');

export const MinibatchSpecSchema = z
  .object({
    /** Share of the train tasks screened first (at least one task); ignored when `size` is given. */
    fraction: level().default(0.3),
    /** Number of train tasks screened first (capped at the train split's size). */
    size: positiveInt().optional(),
    /** Repeats per screened task (GEPA screens on one run each). */
    repeats: positiveInt().default(1),
    /** The child goes on when its screen mean is at least the parent's there minus this. */
    margin: num('a number').min(0, 'expected a non-negative number').max(1, 'expected at most 1').default(0),
  })
  .strict();

export const RacingSpecSchema = z
  .object({
    /** Level of an early accept (confidence sequence): P(accept a child no better than its parent's record) <= alpha. */
    alpha: level().default(0.1),
    /** Level of an early reject (SPRT): P(reject a child better by minEffect) <= beta. Costs power, never error control. */
    beta: level().default(0.2),
    /** The SPRT's alternative: how much better per task (success rate) a child must be to be kept racing. */
    minEffect: num('a number')
      .gt(0, 'expected a number between 0 and 1')
      .max(1, 'expected a number between 0 and 1')
      .default(0.2),
    /** Extra repeats a contested task may get beyond `repeats` (then only the confidence sequence may accept). */
    maxExtraRepeats: nonNegInt().default(0),
  })
  .strict();

export const EvaluationSpecSchema = z
  .object({
    /** 'full': every train task × repeats; 'minibatch': screen on a sample first; 'racing': decide as trials arrive. */
    policy: z.enum(EVALUATION_POLICIES).default(DEFAULT_EVALUATION_POLICY),
    minibatch: MinibatchSpecSchema.default({}),
    racing: RacingSpecSchema.default({}),
  })
  .strict();

export type EvaluationSpec = z.infer<typeof EvaluationSpecSchema>;
export type EvaluationSpecInput = z.input<typeof EvaluationSpecSchema>;
