/**
 * Loads campaign.yaml: YAML → zod (errors name the file and the field) → paths resolved against the
 * file's folder and checked to exist. The result is JSON-safe: it is the campaign workflow's input.
 * Which tasks exist is only known once the benchmark is loaded, so names are checked by `resolveCampaign`.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { EvaluationSpec } from '../search/evaluation/policy';
import type { Budget } from '../search/ledger';
import { CampaignConfigError } from './errors';
import { indexedPath } from '../util/zod-issue';
import { RawCampaignSchema, userIssues } from './schema';
import type { RawCampaign } from './schema';

export interface CampaignConfig {
  /** Absolute path of campaign.yaml. */
  file: string;
  name: string;
  /** Absolute paths. */
  benchmark: string;
  seedHarness: string;
  program: string;
  train: string[] | { fraction: number; seed?: number };
  /** null: every benchmark task not in train. */
  holdout: string[] | null;
  taskModel: string;
  metaModel: string;
  generations: number;
  proposalsPerGeneration: number;
  repeats: number;
  concurrency: number;
  budget: Budget;
  selection: 'best' | 'pareto' | 'epsilon-greedy';
  epsilon: number;
  acceptance: { mode: 'paired-test' | 'greedy'; alpha: number; minDelta: number; test: 'stratified' | 'task-means' };
  targetScore: number | null;
  plateauGenerations: number | null;
  seed: number;
  /** Retries of systemic faults (see FaultRetrySchema). */
  runtime: { faultRetry: { maxAttempts: number; initialIntervalSeconds: number; maximumIntervalSeconds: number } };
  /** The optional LLM judge of reward hacking (model resolved: default metaModel); null when off. */
  tamperingJudge: { model: string; sample: number } | null;
  /** Ranking weights (`objective: score` is { score: 1, costUsd: 0 }); see src/search/objective.ts. */
  objective: { score: number; costUsd: number };
  /** The objective reward metric (`reward` unless campaign.yaml names another reward.json key). */
  metric: string;
  /** Merge proposals every N generations; null when off. */
  merge: { every: number } | null;
  /** How children are evaluated (campaign.yaml `evaluation`, defaults filled in). */
  evaluation: EvaluationSpec;
}

/** Validates an already-parsed document; `file` is used for messages and to resolve relative paths. */
export function parseCampaignConfig(raw: unknown, file: string): CampaignConfig {
  const abs = path.resolve(file);
  const parsed = RawCampaignSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new CampaignConfigError(abs, userIssues(parsed.error.issues).map((p) => ({ field: indexedPath(p.path), message: p.message })));
  }
  return resolvePaths(parsed.data, abs);
}

function resolvePaths(c: RawCampaign, file: string): CampaignConfig {
  const at = (p: string): string => path.resolve(path.dirname(file), p);
  if (!Array.isArray(c.train) && c.holdout !== undefined) {
    throw new CampaignConfigError(file, [{ field: 'holdout', message: 'omit it when train is a fraction split (holdout is the rest)' }]);
  }
  return {
    file,
    name: c.name,
    benchmark: at(c.benchmark),
    seedHarness: at(c.seedHarness),
    program: at(c.program),
    train: c.train,
    holdout: c.holdout ?? null,
    taskModel: c.taskModel,
    metaModel: c.metaModel ?? c.taskModel,
    generations: c.generations,
    proposalsPerGeneration: c.proposalsPerGeneration,
    repeats: c.repeats,
    concurrency: c.concurrency,
    budget: c.budget,
    selection: c.selection,
    epsilon: c.epsilon,
    acceptance: c.acceptance,
    targetScore: c.targetScore ?? null,
    plateauGenerations: c.plateauGenerations ?? null,
    seed: c.seed,
    runtime: c.runtime,
    tamperingJudge: c.tamperingJudge ? { model: c.tamperingJudge.model ?? c.metaModel ?? c.taskModel, sample: c.tamperingJudge.sample } : null,
    objective: c.objective,
    metric: c.metric,
    merge: c.merge ?? null,
    evaluation: c.evaluation,
  };
}

function checkPaths(c: CampaignConfig): void {
  const isDir = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isDirectory();
  const isFile = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isFile();
  const problems = [
    isDir(c.benchmark) ? null : { field: 'benchmark', message: `folder not found: ${c.benchmark}` },
    isDir(c.seedHarness) ? null : { field: 'seedHarness', message: `folder not found: ${c.seedHarness}` },
    isFile(c.program) ? null : { field: 'program', message: `file not found: ${c.program}` },
  ].filter((p): p is { field: string; message: string } => p !== null);
  if (problems.length > 0) throw new CampaignConfigError(c.file, problems);
}

/** Reads, validates and resolves campaign.yaml; throws CampaignConfigError naming the file and field. */
export function loadCampaignConfig(file: string): CampaignConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    throw new CampaignConfigError(abs, [{ field: '', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }]);
  }
  const doc = YAML.parseDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0];
    throw new CampaignConfigError(abs, [{ field: '', message: `invalid YAML${line ? ` at line ${line.line}` : ''}: ${yamlError.message.split('\n')[0]}` }]);
  }
  const config = parseCampaignConfig(doc.toJS(), abs);
  checkPaths(config);
  return config;
}
