/**
 * campaign.yaml schema (zod): the one shape of a campaign's settings. `campaignFileSchema(file)` checks the
 * document and its `.transform()` yields the CampaignConfig the plan is made of, with the YAML's own names
 * (no renames on the way to the workflow): paths resolved against the file's folder, defaults filled in.
 * Keys are camelCase; unknown keys are errors (a typo in a budget must not be silently ignored). Messages are
 * phrased for the user: "expected a positive number", "unknown field".
 *
 * Models: the task model is the seed harness's `model` (harness.yaml); `taskModel` here is an explicit
 * override, written into every candidate (the seed's stored copy included). `metaModel` defaults to the task
 * model (same-model pairing), and the tampering judge's model to `metaModel`. What cannot be known from
 * this file alone (the seed's model) is null here and resolved with the seed harness (plan-from-config.ts).
 */
import path from 'node:path';
import { z } from 'zod';
import { EvaluationSpecSchema } from '../search/evaluation/policy';

const num = (what: string) => z.number({ required_error: 'required', invalid_type_error: `expected ${what}` });
const positive = () => num('a positive number').positive('expected a positive number');
const positiveInt = () =>
  num('a positive integer').int('expected a positive integer').positive('expected a positive integer');
const nonNegInt = () =>
  num('a non-negative integer').int('expected a non-negative integer').min(0, 'expected a non-negative integer');
const text = (what: string) =>
  z.string({ required_error: 'required', invalid_type_error: `expected ${what}` }).min(1, `expected ${what}`);

const SlugSchema = text('a name').regex(
  /^[a-z0-9][a-z0-9-]{0,62}$/,
  'expected a slug: lowercase letters, digits and dashes, at most 63',
);

const TaskList = z.array(text('a task name'), { invalid_type_error: 'expected a list of task names' });

const FractionSplitSchema = z
  .object({
    fraction: num('a fraction')
      .gt(0, 'expected a fraction between 0 and 1')
      .lt(1, 'expected a fraction between 0 and 1'),
    /** Shuffle seed; defaults to the campaign seed. */
    seed: z.number().int('expected an integer').optional(),
  })
  .strict();

/** A list of task names or `{ fraction, seed }`; dispatching by shape keeps the errors precise. */
const TrainSpec = z.unknown().transform((v, ctx): string[] | z.infer<typeof FractionSplitSchema> => {
  const schema = Array.isArray(v)
    ? TaskList.min(1, 'expected at least one task')
    : typeof v === 'object' && v !== null
      ? FractionSplitSchema
      : null;
  if (schema === null) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: v === undefined ? 'required' : 'expected a list of task names or { fraction, seed }',
    });
    return z.NEVER;
  }
  const parsed = schema.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const p of userIssues(parsed.error.issues))
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: p.path, message: p.message });
  return z.NEVER;
});

const BudgetSchema = z
  .object({
    usd: positive().optional(),
    trials: positiveInt().optional(),
    tokens: positiveInt().optional(),
    wallTimeMinutes: positive().optional(),
  })
  .strict();

const AcceptanceSchema = z
  .object({
    /** 'paired-test': beat the parent beyond noise; 'greedy': any improvement. */
    mode: z.enum(['paired-test', 'greedy']).default('paired-test'),
    alpha: num('a number')
      .gt(0, 'expected a number between 0 and 1')
      .lt(1, 'expected a number between 0 and 1')
      .default(0.1),
    minDelta: num('a number').min(0, 'expected a non-negative number').max(1, 'expected at most 1').default(0.05),
    /** 'stratified': permutation test over repeat rewards within each task (repeats add power); 'task-means': sign flips of per-task means. */
    test: z.enum(['stratified', 'task-means']).default('stratified'),
  })
  .strict();

/**
 * How systemic faults of a trial or proposal (a model API outage — 429/529/5xx/connection failures after the
 * SDK's own retries —, a Docker hiccup, a lost worker) are retried: exponential backoff from
 * initialIntervalSeconds, doubling up to maximumIntervalSeconds, at most maxAttempts attempts. The defaults
 * (10 attempts, 10 s → 120 s) ride out an outage of about 12 minutes; beyond it the generation waits for
 * `autoagent retry-generation`. Rejected credentials are never retried: the campaign pauses.
 */
const FaultRetrySchema = z
  .object({
    maxAttempts: positiveInt().default(10),
    initialIntervalSeconds: positive().default(10),
    maximumIntervalSeconds: positive().default(120),
  })
  .strict()
  .refine((r) => r.maximumIntervalSeconds >= r.initialIntervalSeconds, {
    message: 'expected at least initialIntervalSeconds',
    path: ['maximumIntervalSeconds'],
  });

const RuntimeSchema = z.object({ faultRetry: FaultRetrySchema.default({}) }).strict();

/**
 * The optional LLM judge of reward hacking: after the deterministic screen, a model (default: metaModel)
 * reads the passing trials with repeat < sample of every candidate and may flag them (src/meta/screen/judge.ts).
 */
const TamperingJudgeSchema = z
  .object({ model: text('a model name').optional(), sample: positiveInt().default(1) })
  .strict();

/**
 * What "best" means for the frontier and the final pick (src/search/objective.ts): `score` (the mean train
 * reward), or `{ score: 1, costUsd: -λ }` — λ dollars per task are worth one point of mean reward.
 */
const ObjectiveWeightsSchema = z
  .object({
    score: positive().default(1),
    costUsd: num('a number').max(0, 'expected a number <= 0 (a cost is a penalty, e.g. -2)'),
  })
  .strict();

const ObjectiveSpec = z.unknown().transform((v, ctx): z.infer<typeof ObjectiveWeightsSchema> => {
  if (v === 'score') return { score: 1, costUsd: 0 };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected "score" or { score: 1, costUsd: -λ }' });
    return z.NEVER;
  }
  const parsed = ObjectiveWeightsSchema.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const p of userIssues(parsed.error.issues))
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: p.path, message: p.message });
  return z.NEVER;
});

/** Merge proposals (GEPA's merge): every `every`-th generation, when two frontier candidates win on different tasks. */
const MergeSchema = z.object({ every: positiveInt() }).strict();

const RawCampaignSchema = z
  .object({
    name: SlugSchema,
    benchmark: text('a folder path'),
    train: TrainSpec,
    /** Omitted: every benchmark task not in train. */
    holdout: TaskList.optional(),
    seedHarness: text('a folder path'),
    program: text('a file path'),
    /** Omitted: the seed harness's `model`. Given: it overrides `model` in every candidate. */
    taskModel: text('a model name').optional(),
    metaModel: text('a model name').optional(),
    generations: nonNegInt().default(5),
    proposalsPerGeneration: positiveInt().default(2),
    repeats: positiveInt().default(1),
    concurrency: positiveInt().default(2),
    budget: BudgetSchema.default({}),
    /** Thompson by default: the best true holdout in benchmarks/search-sim (it spreads children over close parents). */
    selection: z.enum(['best', 'pareto', 'epsilon-greedy', 'thompson']).default('thompson'),
    epsilon: num('a number')
      .min(0, 'expected a number between 0 and 1')
      .max(1, 'expected a number between 0 and 1')
      .default(0.1),
    acceptance: AcceptanceSchema.default({}),
    targetScore: num('a number')
      .min(0, 'expected a number between 0 and 1')
      .max(1, 'expected a number between 0 and 1')
      .optional(),
    plateauGenerations: positiveInt().optional(),
    seed: nonNegInt().default(0),
    runtime: RuntimeSchema.default({}),
    tamperingJudge: TamperingJudgeSchema.optional(),
    /**
     * How children are evaluated: `{ policy: full | minibatch | racing, minibatch: {…}, racing: {…} }`
     * (src/search/evaluation/policy.ts). Without the block, as without `policy`: DEFAULT_EVALUATION_POLICY.
     */
    evaluation: EvaluationSpecSchema.default({}),
    objective: ObjectiveSpec.default('score'),
    /** The reward.json metric the search climbs (Harbor multi-metric rewards); the others are recorded and reported. */
    metric: text('a metric name')
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected a metric name (letters, digits, "_", ".", "-")')
      .default('reward'),
    merge: MergeSchema.optional(),
  })
  .strict();

type RawCampaign = z.infer<typeof RawCampaignSchema>;

/** The settings of one campaign.yaml (absolute `file`); see the module comment for the model defaults. */
function toConfig(c: RawCampaign, file: string, ctx: z.RefinementCtx) {
  if (!Array.isArray(c.train) && c.holdout !== undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['holdout'],
      message: 'omit it when train is a fraction split (holdout is the rest)',
    });
    return z.NEVER;
  }
  const at = (p: string): string => path.resolve(path.dirname(file), p);
  const metaModel = c.metaModel ?? c.taskModel ?? null;
  return {
    ...c,
    file,
    benchmark: at(c.benchmark),
    seedHarness: at(c.seedHarness),
    program: at(c.program),
    /** null: every benchmark task not in train. */
    holdout: c.holdout ?? null,
    /** null: the seed harness's `model`. */
    taskModel: c.taskModel ?? null,
    /** null: the task model, once the seed harness is read. */
    metaModel,
    targetScore: c.targetScore ?? null,
    plateauGenerations: c.plateauGenerations ?? null,
    /** null when off; model null: the meta model, once known. */
    tamperingJudge: c.tamperingJudge
      ? { model: c.tamperingJudge.model ?? metaModel, sample: c.tamperingJudge.sample }
      : null,
    merge: c.merge ?? null,
  };
}

/** campaign.yaml's schema for the file at `file` (absolute): relative paths resolve against its folder. */
export const campaignFileSchema = (file: string) => RawCampaignSchema.transform((c, ctx) => toConfig(c, file, ctx));

/** A campaign.yaml, validated and resolved: what `loadCampaignConfig` returns and the plan is built from. */
export type CampaignConfig = z.output<ReturnType<typeof campaignFileSchema>>;

/** Issues as the user should read them: one per unknown key, plain messages. */
export function userIssues(issues: readonly z.ZodIssue[]): { path: (string | number)[]; message: string }[] {
  return issues.flatMap((issue) =>
    issue.code === z.ZodIssueCode.unrecognized_keys
      ? issue.keys.map((k) => ({ path: [...issue.path, k], message: 'unknown field' }))
      : [{ path: issue.path, message: messageOf(issue) }],
  );
}

function messageOf(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.invalid_enum_value)
    return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') return 'required';
  return issue.message;
}
