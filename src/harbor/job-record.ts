/**
 * A set of trials as a Harbor job: `JobConfig` (config.json) and `JobResult` (result.json) of
 * `harbor.models.job`, with Harbor's statistics — per agent × model × dataset ("adhoc" for local tasks):
 * trials with a reward, errors, the mean reward as Harbor's default metric, which trials got which reward,
 * which failed with which exception — and token and cost totals. Trial results stay in the trial folders,
 * as Harbor writes them.
 */
import type { TrialResult } from '../trial/types';
import { harborAgentName, modelInfo, uuidFor } from './ids';
import { hasReward, rewardsOf } from './trial-record';

export interface HarborJobContext {
  jobName: string;
  /** The job folder's parent (Harbor's jobs_dir). */
  jobsDir: string;
  /** Task folders (Harbor's TaskConfig paths). */
  taskPaths: string[];
  agents: { kind: TrialResult['agent']; model: string | null }[];
  repeats: number;
  concurrency: number;
  startedAt: string;
  finishedAt?: string | null;
}

const jobIdFor = (ctx: Pick<HarborJobContext, 'jobName' | 'startedAt'>): string =>
  uuidFor(`job:${ctx.jobName}:${ctx.startedAt}`);

export function harborJobConfig(ctx: HarborJobContext): Record<string, unknown> {
  return {
    schema_version: 1,
    job_name: ctx.jobName,
    jobs_dir: ctx.jobsDir,
    n_attempts: ctx.repeats,
    n_concurrent_trials: ctx.concurrency,
    environment: { type: 'docker', delete: true },
    verifier: {},
    metrics: [],
    agents: ctx.agents.map((a) => ({ name: harborAgentName(a.kind), model_name: a.model })),
    datasets: [],
    tasks: ctx.taskPaths.map((p) => ({ path: p })),
  };
}

interface EvalStats {
  n_trials: number;
  n_errors: number;
  metrics: Record<string, number>[];
  pass_at_k: Record<string, number>;
  reward_stats: Record<string, Record<string, string[]>>;
  exception_stats: Record<string, string[]>;
  rewards: Record<string, number>[];
}

function evalsKey(r: TrialResult): string {
  const model = modelInfo(r.model)?.name;
  return model ? `${harborAgentName(r.agent)}__${model}__adhoc` : `${harborAgentName(r.agent)}__adhoc`;
}

/** Harbor's default metric (metrics/mean.py): {mean} over one metric, else the mean of each metric (0 where absent). */
function harborMean(rewards: Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(rewards.flatMap((r) => Object.keys(r)))].sort();
  const avg = (f: (r: Record<string, number>) => number): number =>
    rewards.reduce((a, r) => a + f(r), 0) / rewards.length;
  if (keys.length <= 1) return { mean: avg((r) => Object.values(r)[0] ?? 0) };
  return Object.fromEntries(keys.map((k) => [k, avg((r) => r[k] ?? 0)]));
}

function stats(results: TrialResult[], total: number): Record<string, unknown> {
  const evals: Record<string, EvalStats> = {};
  let errored = 0;
  for (const r of results) {
    const e = (evals[evalsKey(r)] ??= {
      n_trials: 0,
      n_errors: 0,
      metrics: [],
      pass_at_k: {},
      reward_stats: {},
      exception_stats: {},
      rewards: [],
    });
    if (hasReward(r)) {
      const rewards = rewardsOf(r);
      e.n_trials += 1;
      e.rewards.push(rewards);
      for (const [k, v] of Object.entries(rewards)) ((e.reward_stats[k] ??= {})[String(v)] ??= []).push(r.trialId);
    }
    if (r.failure) {
      e.n_errors += 1;
      errored += 1;
      (e.exception_stats[r.failure.type] ??= []).push(r.trialId);
    }
  }
  for (const e of Object.values(evals)) if (e.rewards.length) e.metrics = [harborMean(e.rewards)];
  const sum = (f: (r: TrialResult) => number): number => results.reduce((a, r) => a + f(r), 0);
  return {
    n_completed_trials: results.length,
    n_errored_trials: errored,
    n_running_trials: 0,
    n_pending_trials: Math.max(total - results.length, 0),
    n_cancelled_trials: 0,
    n_retries: 0,
    evals: Object.fromEntries(Object.entries(evals).map(([k, { rewards: _r, ...e }]) => [k, e])),
    n_input_tokens: sum((r) => r.usage.inputTokens + r.usage.cacheReadTokens + r.usage.cacheWriteTokens),
    n_cache_tokens: sum((r) => r.usage.cacheReadTokens),
    n_output_tokens: sum((r) => r.usage.outputTokens),
    cost_usd: sum((r) => r.usage.costUsd),
  };
}

export function harborJobResult(ctx: HarborJobContext, results: TrialResult[], total: number): Record<string, unknown> {
  const finished = ctx.finishedAt ?? null;
  return {
    schema_version: 1,
    id: jobIdFor(ctx),
    started_at: ctx.startedAt,
    updated_at: finished ?? ctx.startedAt,
    finished_at: finished,
    n_total_trials: total,
    stats: stats(results, total),
  };
}
