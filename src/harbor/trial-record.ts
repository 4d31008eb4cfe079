/**
 * A trial as Harbor records it: `TrialConfig` (config.json) and `TrialResult` (result.json) of
 * `harbor.models.trial`, built from our TrialResult and its task. Phase timestamps are laid end to end from
 * our measured durations (build+start → agent → verifier), beginning at the trial's start. A reward the
 * verifier produced is `verifier_result.rewards.reward`; a failure is `exception_info` named by our stable
 * error type. Validated against Harbor's own models by test/e2e/harbor-job.test.ts.
 */
import { pathToFileURL } from 'node:url';
import type { Task } from '../tasks/types';
import type { TrialResult } from '../trial/types';
import { harborAgentName, modelInfo, uuidFor } from './ids';

/** What Harbor records of the task: where it is, its content hash, where its verifier ran. */
export interface HarborTask {
  path: string;
  checksum: string;
  verifierMode: 'shared' | 'separate' | null;
}

export const harborTaskOf = (task: Task): HarborTask => ({
  path: task.dir,
  checksum: task.hash,
  verifierMode: task.config.verifier.environmentMode ?? 'shared',
});

export interface HarborTrialContext {
  task: HarborTask;
  /** The trial's folder (its name is the trial name). */
  trialDir: string;
  /** The folder holding the trial folders (Harbor's trials_dir / job dir). */
  trialsDir: string;
  jobId?: string | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function harborTrialConfig(r: TrialResult, ctx: HarborTrialContext): Record<string, unknown> {
  return {
    schema_version: 1,
    task: { path: ctx.task.path },
    trial_name: r.trialId,
    trials_dir: ctx.trialsDir,
    agent: {
      name: harborAgentName(r.agent),
      model_name: r.model,
      kwargs: r.harnessId ? { harness_id: r.harnessId } : {},
    },
    environment: { type: 'docker', delete: true },
    verifier: {},
    artifacts: [],
    job_id: ctx.jobId ?? null,
  };
}

/** Harbor's TimingInfo of something that started at `t0` (epoch ms) and took `ms`. */
const span = (t0: number, ms: number): { started_at: string; finished_at: string } => ({
  started_at: iso(t0),
  finished_at: iso(t0 + ms),
});

/** Timings laid end to end from the measured phase durations. */
function timings(r: TrialResult): Record<string, { started_at: string; finished_at: string } | string> {
  const t0 = Date.parse(r.startedAt);
  const setupEnd = t0 + r.timings.buildMs + r.timings.startMs;
  const agentEnd = setupEnd + r.timings.agentMs;
  const verifyEnd = agentEnd + r.timings.verifyMs;
  return {
    started_at: iso(t0),
    finished_at: iso(Math.max(verifyEnd, t0 + r.timings.totalMs)),
    environment_setup: span(t0, setupEnd - t0),
    agent_execution: span(setupEnd, r.timings.agentMs),
    verifier: span(agentEnd, r.timings.verifyMs),
  };
}

/** The verifier produced a reward (it ran and left a reward file): Harbor's verifier_result. */
export const hasReward = (r: TrialResult): boolean => r.verifier.reason === null && r.verifier.exitCode !== null;

/** Every metric the verifier wrote (reward.json), else `{reward}` (reward.txt). */
export const rewardsOf = (r: TrialResult): Record<string, number> =>
  r.verifier.rewards ?? { reward: r.verifier.reward };

export function harborTrialResult(r: TrialResult, ctx: HarborTrialContext): Record<string, unknown> {
  const u = r.usage;
  const exception = r.failure
    ? {
        exception_type: r.failure.type,
        exception_message: r.failure.message,
        exception_traceback: '',
        occurred_at: iso(Date.parse(r.startedAt) + r.timings.totalMs),
      }
    : null;
  return {
    schema_version: 1,
    id: uuidFor(`trial:${r.trialId}`),
    task_name: r.task,
    trial_name: r.trialId,
    trial_uri: pathToFileURL(ctx.trialDir).href,
    task_id: { path: ctx.task.path },
    source: null,
    task_checksum: ctx.task.checksum,
    config: harborTrialConfig(r, ctx),
    agent_info: { name: harborAgentName(r.agent), version: '0.1.0', model_info: modelInfo(r.model) },
    agent_result: {
      n_input_tokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens,
      n_cache_tokens: u.cacheReadTokens,
      n_output_tokens: u.outputTokens,
      cost_usd: u.costUsd,
      metadata: { turns: r.turns, stop_reason: r.stopReason, harness_id: r.harnessId, repeat: r.repeat },
    },
    verifier_result: hasReward(r) ? { rewards: rewardsOf(r) } : null,
    // Harbor's computed field: a verifier result with at least one reward.
    reward_valid: hasReward(r) && Object.keys(rewardsOf(r)).length > 0,
    // A multi-step trial has no trial-level verifier mode in Harbor: each step's tests ran in its own.
    verifier_environment_mode: r.steps ? null : ctx.task.verifierMode,
    exception_info: exception,
    ...timings(r),
    agent_setup: null,
    // A multi-step task's steps (Harbor's StepResult): each one's rewards when its verifier gave some.
    step_results: r.steps
      ? r.steps.map((st) => ({
          step_name: st.name,
          agent_result: { metadata: { turns: st.turns, stop_reason: st.stopReason } },
          verifier_result:
            st.reason === null && st.exitCode !== null ? { rewards: st.rewards ?? { reward: st.reward } } : null,
          exception_info: null,
          ...(st.agentStartedAt ? { agent_execution: span(Date.parse(st.agentStartedAt), st.agentMs) } : {}),
          ...(st.verifyStartedAt ? { verifier: span(Date.parse(st.verifyStartedAt), st.verifyMs) } : {}),
        }))
      : null,
  };
}
