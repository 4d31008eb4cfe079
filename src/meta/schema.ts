/**
 * The meta-agent's boundary records, as zod schemas (types flow from them): the experiment log entries it
 * reads, the parent's trials it studies, the proposal input, and the proposal result it returns.
 */
import { z } from 'zod';
import { UsageSchema } from '../llm/usage';

/** One candidate in the experiment log (mirrors search's CandidateRecord, plus its diff). */
export const ExperimentRecordSchema = z.object({
  id: z.string().min(1),
  parentId: z.string().nullable(),
  /** A merge's second parent (absent otherwise). */
  secondParentId: z.string().optional(),
  generation: z.number().int().nonnegative(),
  /** 'evaluated' (accepted), 'rejected' (scored, did not beat its parent), 'invalid' (never ran). */
  status: z.enum(['evaluated', 'rejected', 'invalid']),
  /** Mean train reward; null when the candidate was never scored. */
  trainScore: z.number().min(0).max(1).nullable(),
  /** Per train task, the reward of each repeat. */
  taskRewards: z.record(z.array(z.number().min(0).max(1))).default({}),
  /** Per train task, the error line of each trial that failed (e.g. "RewardTamperingError: ..."); absent in older logs. */
  trialFailures: z.record(z.array(z.string())).optional(),
  costUsd: z.number().nonnegative(),
  /** One line: why it was accepted / rejected / invalid. */
  verdict: z.string(),
  rationale: z.string(),
  /** Unified diff against its parent ('' for the seed). */
  diff: z.string(),
});
export type ExperimentRecord = z.infer<typeof ExperimentRecordSchema>;

/** One trial of the parent harness, as stored by the trial runner. */
const MetaTrialSchema = z.object({
  task: z.string().min(1),
  repeat: z.number().int().nonnegative(),
  /** The trial's result.json content (shown as-is). */
  result: z.unknown(),
  trajectoryJson: z.string(),
  verifierLog: z.string(),
});
export type MetaTrial = z.infer<typeof MetaTrialSchema>;

/** A merge proposal's second harness: its files, the train tasks each side wins, and each side's diff. */
const MergeInputSchema = z.object({
  other: z.object({ files: z.record(z.string()), id: z.string().min(1) }),
  parentWins: z.array(z.string()),
  otherWins: z.array(z.string()),
  /** The nearest common ancestor both diffs start from; null when none was found (then each diff is against the other). */
  ancestorId: z.string().nullable(),
  parentDiff: z.string(),
  otherDiff: z.string(),
});
export type MergeInput = z.infer<typeof MergeInputSchema>;

export const ProposeInputSchema = z.object({
  parent: z.object({ files: z.record(z.string()), id: z.string().min(1) }),
  /** The user's program.md directive. */
  program: z.string(),
  experiments: z.array(ExperimentRecordSchema),
  trials: z.array(MetaTrialSchema),
  /** Names of holdout tasks: none of their trials may reach the meta-agent. */
  holdoutTasks: z.array(z.string()),
  hints: z.array(z.string()),
  model: z.string().min(1),
  generation: z.number().int().nonnegative(),
  proposalIndex: z.number().int().nonnegative(),
  /** Wall-clock budget of the meta-agent run (default 1800 s). */
  timeoutSec: z.number().positive().optional(),
  /** Set for a merge proposal (see MergeInputSchema). */
  merge: MergeInputSchema.optional(),
});
export type ProposeInput = z.input<typeof ProposeInputSchema>;

/**
 * What a proposer (the meta-agent, or any other) returns: the proposed harness files, or why there is none.
 * A value, not an exception: an invalid proposal is a normal, charged outcome. The proposeCandidate activity
 * validates `files` once, screens them, writes the candidate once and records the diff once. `trajectoryRef`
 * is where the proposer's ATIF trajectory is (a local file path; null when there is none).
 */
export const ProposalResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ok'),
    files: z.record(z.string()),
    rationale: z.string(),
    usage: UsageSchema,
    trajectoryRef: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('invalid'),
    reason: z.string(),
    usage: UsageSchema,
    trajectoryRef: z.string().nullable(),
  }),
]);
export type ProposalResult = z.infer<typeof ProposalResultSchema>;
