/**
 * A trial: one agent (a harness, the oracle, or a no-op) on one task, one repeat. The result is a complete,
 * JSON-safe record — it crosses the Temporal activity boundary and is stored — so it is a zod schema.
 */
import { z } from 'zod';
import { StopReason } from '../agent/stop-reason';
import { UsageSchema } from '../llm/usage';
import { VerifierRecordSchema } from '../verifier/result';

export const AgentKind = z.enum(['harness', 'oracle', 'noop']);
export type AgentKind = z.infer<typeof AgentKind>;

// Lower layers own these shapes; a trial record only carries them.
export { StopReason } from '../agent/stop-reason';

export const TrialPhase = z.enum(['build', 'start', 'agent', 'verifier', 'teardown']);
export type TrialPhase = z.infer<typeof TrialPhase>;

/**
 * Why a trial did not end cleanly, structured like Harbor's ExceptionInfo. Only task-level failures are ever
 * recorded (agent gave up or timed out, bad image, no reward file, reward tampering): a systemic fault (model
 * credentials, API outage, Docker down) is thrown, never stored as a result.
 */
const TrialFailureSchema = z.object({
  phase: TrialPhase,
  /** Stable error name, e.g. AgentTimeoutError, RewardFileMissingError, RewardTamperingError. */
  type: z.string(),
  message: z.string(),
});
export type TrialFailure = z.infer<typeof TrialFailureSchema>;

/** One step of a multi-step task (Harbor's StepResult, in our terms). */
/** One artifact copied into the trial folder (from the agent's container, or a compose `service`'s). */
const CollectedArtifactSchema = z.object({
  source: z.string(),
  bytes: z.number(),
  truncated: z.literal(true).optional(),
  service: z.string().optional(),
});

const StepResultSchema = z.object({
  name: z.string(),
  reward: z.number(),
  rewards: z.record(z.number()).optional(),
  reason: z.string().nullable(),
  exitCode: z.number().nullable(),
  turns: z.number().int().nonnegative(),
  stopReason: StopReason,
  agentMs: z.number(),
  verifyMs: z.number(),
  /** When the step's agent and its tests started (ISO 8601; absent in records from before they were kept). */
  agentStartedAt: z.string().optional(),
  verifyStartedAt: z.string().optional(),
  /** What this step's collection copied into the trial folder's steps/<name>/artifacts/ (absent: nothing). */
  artifacts: z.array(CollectedArtifactSchema).optional(),
});
export type StepResult = z.infer<typeof StepResultSchema>;

export const TrialResultSchema = z.object({
  trialId: z.string(),
  task: z.string(),
  agent: AgentKind,
  /** Content hash of the harness, null for oracle / noop. */
  harnessId: z.string().nullable(),
  model: z.string().nullable(),
  repeat: z.number().int().nonnegative(),
  /** 0–1, from the verifier; 0 when the verifier gave none (see verifier.reason). After an agent timeout the final state is still graded, as Harbor does. */
  reward: z.number().min(0).max(1),
  /** null on a clean run; otherwise what went wrong, in one line. */
  error: z.string().nullable(),
  /** The structured form of the first failure (null on a clean run); absent in results written before it existed. */
  failure: TrialFailureSchema.nullable().optional(),
  stopReason: StopReason,
  turns: z.number().int().nonnegative(),
  usage: UsageSchema,
  verifier: VerifierRecordSchema,
  timings: z.object({
    buildMs: z.number(),
    startMs: z.number(),
    agentMs: z.number(),
    verifyMs: z.number(),
    totalMs: z.number(),
  }),
  /** Artifacts copied out of the agent's container (or a compose `service`'s) into the trial folder's artifacts/ (absent: none produced). */
  artifacts: z.array(CollectedArtifactSchema).optional(),
  /** [[verifier.collect]] hooks as they ran (best effort: a failure is recorded, never fails the trial). */
  collectHooks: z
    .array(
      z.object({
        service: z.string(),
        command: z.string(),
        exitCode: z.number().nullable(),
        error: z.string().optional(),
        step: z.string().optional(),
      }),
    )
    .optional(),
  /** A multi-step task's steps, in the order they ran (absent for single-step tasks). */
  steps: z.array(StepResultSchema).optional(),
  /** Where the ATIF trajectory was written (absolute path), or null. */
  trajectoryPath: z.string().nullable(),
  startedAt: z.string(),
});
export type TrialResult = z.infer<typeof TrialResultSchema>;
