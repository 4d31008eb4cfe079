/**
 * The production PlanLoader: campaign.yaml (src/campaign) + the benchmark's tasks (src/tasks) → a
 * resolved CampaignPlan. Tasks are loaded and hashed here, once, so the workflow carries only references
 * and trial ids stay stable for the campaign's life.
 */
import path from 'node:path';
import { loadCampaignConfig, type CampaignConfig } from '../campaign/config';
import { resolveCampaign } from '../campaign/split';
import { loadBenchmark } from '../tasks/load';
import type { Task } from '../tasks/types';
import type { CampaignPlan, TaskRef } from '../workflows/types';
import { campaignsRootFor } from '../campaign/layout';

export interface PlanFromConfigOptions {
  /** Campaign folders go to <root>/<name>; default: `.autoagent/` next to campaign.yaml. */
  campaignsRoot?: string;
}

/** What a plan was built from: `autoagent run` checks these client-side before anything starts. */
export interface ResolvedCampaign {
  config: CampaignConfig;
  /** Every task of the benchmark (each one loaded, so a broken task fails here naming its file). */
  tasks: Task[];
  plan: CampaignPlan;
}

export async function planFromConfig(file: string, opts: PlanFromConfigOptions = {}): Promise<CampaignPlan> {
  return (await resolveCampaignPlan(file, opts)).plan;
}

export async function resolveCampaignPlan(file: string, opts: PlanFromConfigOptions = {}): Promise<ResolvedCampaign> {
  const config = loadCampaignConfig(file);
  const tasks = await loadBenchmark(config.benchmark);
  return { config, tasks, plan: buildPlan(config, tasks, opts) };
}

function buildPlan(config: CampaignConfig, tasks: Task[], opts: PlanFromConfigOptions): CampaignPlan {
  const split = resolveCampaign(config, tasks.map((t) => t.name));
  const ref = (name: string): TaskRef => {
    const t = tasks.find((x) => x.name === name);
    if (!t) throw new Error(`task ${name} vanished from ${config.benchmark}`); // resolveCampaign checked names
    return { name: t.name, dir: t.dir, hash: t.hash };
  };
  const root = opts.campaignsRoot ?? campaignsRootFor(config.file);
  return {
    name: config.name,
    campaignDir: path.resolve(root, config.name),
    seedHarnessDir: config.seedHarness,
    train: split.train.map(ref),
    holdout: split.holdout.map(ref),
    repeats: config.repeats,
    holdoutRepeats: config.repeats,
    k: config.proposalsPerGeneration,
    window: config.concurrency,
    rngSeed: config.seed,
    selection: config.selection,
    epsilon: config.epsilon,
    acceptance: config.acceptance.mode === 'greedy'
      ? { kind: 'greedy' }
      : { kind: 'noise', alpha: config.acceptance.alpha, minDelta: config.acceptance.minDelta, test: config.acceptance.test },
    budget: config.budget,
    stop: {
      maxGenerations: config.generations,
      targetScore: config.targetScore ?? undefined,
      plateau: config.plateauGenerations ?? undefined,
    },
    hints: [],
    meta: { programPath: config.program, model: config.metaModel, ...(config.tamperingJudge ? { judge: config.tamperingJudge } : {}) },
    runtime: {
      trialAttempts: config.runtime.faultRetry.maxAttempts,
      retryInitialIntervalMs: Math.round(config.runtime.faultRetry.initialIntervalSeconds * 1000),
      retryMaximumIntervalMs: Math.round(config.runtime.faultRetry.maximumIntervalSeconds * 1000),
    },
    // Only set when they change something, so a default plan is exactly what it was before they existed.
    ...(config.objective.costUsd !== 0 ? { objective: config.objective } : {}),
    ...(config.metric !== 'reward' ? { metric: config.metric } : {}),
    ...(config.merge ? { merge: config.merge } : {}),
    ...(config.evaluation.policy !== 'full' ? { evaluation: config.evaluation } : {}),
  };
}
