/**
 * zod schema of a CampaignPlan: the boundary check for plans given directly as workflow input or built
 * from a config file, so a bad plan fails the campaign at once with the field named (never retried).
 */
import { z } from 'zod';
import { EvaluationSpecSchema, type EvaluationSpec } from '../search/evaluation/policy';
import type { CampaignPlan } from '../workflows/types';
import { InvalidCampaignPlanError } from './errors';
import { firstIssue } from '../util/zod-issue';
import { upgradePlan, type StoredPlan } from '../workflows/plan-upgrade';

const isPlanObject = (v: unknown): v is StoredPlan => typeof v === 'object' && v !== null && !Array.isArray(v);

// `dir`: plans from before references (and built in-process) still name the client's folder.
const TaskRefSchema = z.object({ name: z.string().min(1), hash: z.string().min(1), dir: z.string().min(1).optional() });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');
const positiveInt = z.number().int().positive();
const limit = z.number().finite().nonnegative();

const CampaignPlanSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, ".", "_" or "-"'),
    campaignDir: z.string().refine((p) => p.startsWith('/'), 'must be an absolute path'),
    seedBundle: sha256.optional(),
    seedHarness: z.string().min(1).optional(),
    train: z.array(TaskRefSchema).min(1, 'at least one train task'),
    holdout: z.array(TaskRefSchema),
    repeats: positiveInt,
    holdoutRepeats: positiveInt,
    proposalsPerGeneration: positiveInt,
    concurrency: positiveInt,
    seed: z.number().int(),
    selection: z.enum(['best', 'pareto', 'epsilon-greedy', 'thompson']),
    epsilon: z.number().min(0).max(1).optional(),
    acceptance: z.object({
      mode: z.enum(['paired-test', 'greedy']),
      alpha: z.number().gt(0).lt(1).optional(),
      minDelta: z.number().min(0).optional(),
      test: z.enum(['stratified', 'task-means']).optional(),
    }),
    budget: z.object({
      usd: limit.optional(),
      trials: limit.optional(),
      tokens: limit.optional(),
      wallTimeMinutes: limit.optional(),
    }),
    generations: z.number().int().nonnegative().optional(),
    targetScore: z.number().optional(),
    plateauGenerations: positiveInt.optional(),
    hints: z.array(z.string()),
    meta: z
      .object({
        programHash: sha256.nullable().optional(),
        programPath: z.string().nullable().optional(),
        model: z.string().nullable(),
        taskModel: z.string().min(1).optional(),
        judge: z
          .object({ model: z.string().min(1), sample: positiveInt })
          .nullable()
          .optional(),
      })
      .optional(),
    runtime: z
      .object({
        maxGenerationsPerRun: positiveInt.optional(),
        maxHistoryEvents: positiveInt.optional(),
        trialAttempts: positiveInt.optional(),
        retryInitialIntervalMs: positiveInt.optional(),
        retryMaximumIntervalMs: positiveInt.optional(),
        trialTimeoutMs: positiveInt.optional(),
        heartbeatTimeoutMs: positiveInt.optional(),
        proposalTimeoutMs: positiveInt.optional(),
      })
      .optional(),
    objective: z.object({ score: z.number().positive(), costUsd: z.number().max(0) }).optional(),
    metric: z.string().min(1).optional(),
    merge: z.object({ every: positiveInt }).optional(),
    // Its defaults are filled in here (a plan given as workflow input may say just `{ policy: racing }`);
    // typed as its output so the schema still `satisfies` ZodType<CampaignPlan> (input = output).
    evaluation: EvaluationSpecSchema.optional() as unknown as z.ZodType<EvaluationSpec | undefined>,
  })
  .strict()
  .refine((p) => p.seedBundle !== undefined || p.seedHarness !== undefined, {
    message: 'the seed harness is missing (seedBundle, the sha256 of its published bundle)',
    path: ['seedBundle'],
  }) satisfies z.ZodType<CampaignPlan>;

/** Parses a plan; `source` (a config path, or "workflow input") names where it came from in errors. */
export function parsePlan(raw: unknown, source: string): CampaignPlan {
  // A plan written with the names plans had before (k, window, …) is read as today's.
  const parsed = CampaignPlanSchema.safeParse(isPlanObject(raw) ? upgradePlan(raw) : raw);
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error, [], '');
  throw new InvalidCampaignPlanError(message, source, field);
}
