/**
 * The production PlanLoader: campaign.yaml (src/campaign) + the benchmark's tasks (src/tasks) + the seed
 * harness → a resolved CampaignPlan. Tasks are loaded and hashed here, once, so the workflow carries only
 * references and trial ids stay stable for the campaign's life. The seed harness is read for its `model`:
 * the task model unless campaign.yaml overrides it, and what the meta model and the judge default to.
 */
import path from 'node:path';
import { loadCampaignConfig, type CampaignConfig } from '../campaign/config';
import { resolveCampaign } from '../campaign/split';
import { loadBenchmark } from '../tasks/load';
import { HarnessError } from '../harness/errors';
import { loadHarness } from '../harness/load';
import type { Harness } from '../harness/schema';
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
  /** The seed harness as loaded (its errors name the seedHarness field that led there). */
  seed: Harness;
  plan: CampaignPlan;
}

export async function planFromConfig(file: string, opts: PlanFromConfigOptions = {}): Promise<CampaignPlan> {
  return (await resolveCampaignPlan(file, opts)).plan;
}

/** Everything `run` checks and starts from, with campaign.yaml read once (`config`: already loaded). */
export async function resolveCampaignPlan(
  file: string | CampaignConfig,
  opts: PlanFromConfigOptions = {},
): Promise<ResolvedCampaign> {
  const config = typeof file === 'string' ? loadCampaignConfig(file) : file;
  const tasks = await loadBenchmark(config.benchmark);
  const seed = await loadSeed(config);
  return { config, tasks, seed, plan: buildPlan(config, tasks, seed, opts) };
}

async function loadSeed(config: CampaignConfig): Promise<Harness> {
  try {
    return await loadHarness(config.seedHarness);
  } catch (e) {
    // HarnessError names a file inside the harness folder; say which folder, and which campaign field led there.
    if (e instanceof HarnessError)
      throw new HarnessError(
        path.resolve(config.seedHarness, e.file),
        e.field,
        `${e.detail} (the seedHarness of ${config.file})`,
      );
    throw e;
  }
}

function buildPlan(config: CampaignConfig, tasks: Task[], seed: Harness, opts: PlanFromConfigOptions): CampaignPlan {
  const taskModel = config.taskModel ?? seed.config.model;
  const split = resolveCampaign(
    config,
    tasks.map((t) => t.name),
  );
  const ref = (name: string): TaskRef => {
    const t = tasks.find((x) => x.name === name);
    if (!t) throw new Error(`task ${name} vanished from ${config.benchmark}`); // resolveCampaign checked names
    return { name: t.name, dir: t.dir, hash: t.hash };
  };
  const root = opts.campaignsRoot ?? campaignsRootFor(config.file);
  return {
    name: config.name,
    campaignDir: path.resolve(root, config.name),
    seedHarness: config.seedHarness,
    train: split.train.map(ref),
    holdout: split.holdout.map(ref),
    repeats: config.repeats,
    holdoutRepeats: config.repeats,
    proposalsPerGeneration: config.proposalsPerGeneration,
    concurrency: config.concurrency,
    seed: config.seed,
    selection: config.selection,
    epsilon: config.epsilon,
    acceptance:
      config.acceptance.mode === 'greedy'
        ? { mode: 'greedy' }
        : {
            mode: 'paired-test',
            alpha: config.acceptance.alpha,
            minDelta: config.acceptance.minDelta,
            test: config.acceptance.test,
          },
    budget: config.budget,
    generations: config.generations,
    ...(config.targetScore !== null ? { targetScore: config.targetScore } : {}),
    ...(config.plateauGenerations !== null ? { plateauGenerations: config.plateauGenerations } : {}),
    hints: [],
    // meta.model null: each proposal uses its parent's model, which is the task model. An explicit taskModel
    // is written into the stored seed and every candidate.
    meta: {
      programPath: config.program,
      model: config.metaModel,
      ...(config.tamperingJudge
        ? { judge: { model: config.tamperingJudge.model ?? taskModel, sample: config.tamperingJudge.sample } }
        : {}),
      ...(config.taskModel !== null ? { taskModel: config.taskModel } : {}),
    },
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
