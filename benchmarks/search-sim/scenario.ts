/**
 * Scenario files of the search-quality simulator (JSON, zod-validated; unknown keys are errors). The format
 * is documented in README.md. `loadScenario` names the file and the field of any mistake.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { userIssues } from '../../src/campaign/schema';
import { indexedPath } from '../../src/util/zod-issue';
import { MinibatchSpecSchema, RacingSpecSchema } from '../../src/search/evaluation';

const num = (what: string) => z.number({ required_error: 'required', invalid_type_error: `expected ${what}` });
const positiveInt = () =>
  num('a positive integer').int('expected a positive integer').positive('expected a positive integer');
const probability = () =>
  num('a probability')
    .min(0, 'expected a probability between 0 and 1')
    .max(1, 'expected a probability between 0 and 1');
const nonNeg = () => num('a non-negative number').min(0, 'expected a non-negative number');

/**
 * One of several shapes, picked by a look at the value (so errors point into the shape the user meant,
 * not at a vague "invalid input"), as campaign/schema.ts does for `train`.
 */
function oneOf<T>(expected: string, pick: (v: unknown) => z.ZodType<T, z.ZodTypeDef, unknown> | null) {
  return z.unknown().transform((v, ctx): T => {
    const schema = pick(v);
    if (schema === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: v === undefined ? 'required' : `expected ${expected}` });
      return z.NEVER;
    }
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    for (const p of userIssues(parsed.error.issues))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: p.path, message: p.message });
    return z.NEVER;
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A count of tasks (named train-00…) or the task names themselves. */
const Tasks = oneOf<number | string[]>('a positive integer or a list of task names', (v) =>
  typeof v === 'number'
    ? positiveInt()
    : Array.isArray(v)
      ? z
          .array(z.string({ invalid_type_error: 'expected a task name' }).min(1, 'expected a task name'))
          .min(1, 'expected at least one task')
      : null,
);

/** An effect size in logits: a number, or a normal distribution of them. */
const Effect = oneOf<{ mean: number; sd: number }>('a non-negative number or { mean, sd }', (v) =>
  typeof v === 'number'
    ? nonNeg().transform((mean) => ({ mean, sd: 0 }))
    : isObject(v)
      ? z.object({ mean: nonNeg(), sd: nonNeg().default(0) }).strict()
      : null,
);

const Beta = z
  .object({
    beta: z
      .object({
        a: num('a positive number').positive('expected a positive number'),
        b: num('a positive number').positive('expected a positive number'),
      })
      .strict(),
  })
  .strict();
const Uniform = z.object({ uniform: z.object({ min: probability(), max: probability() }).strict() }).strict();
const Listed = z
  .object({
    train: z.array(probability(), { invalid_type_error: 'expected a list of probabilities' }),
    holdout: z.array(probability(), { invalid_type_error: 'expected a list of probabilities' }),
  })
  .strict();
type SeedSuccessSpec = z.infer<typeof Beta> | z.infer<typeof Uniform> | z.infer<typeof Listed>;

/** The seed harness's per-task success probabilities: drawn from a distribution, or listed. */
const SeedSuccess = oneOf<SeedSuccessSpec>(
  '{ beta: { a, b } }, { uniform: { min, max } } or { train: [...], holdout: [...] }',
  (v) => {
    if (!isObject(v)) return null;
    if ('beta' in v) return Beta;
    if ('uniform' in v) return Uniform;
    return 'train' in v || 'holdout' in v ? Listed : null;
  },
);

const Mutation = z
  .object({
    /** Probabilities that a proposal helps, is neutral, hurts (they must add up to 1). */
    help: probability(),
    neutral: probability(),
    hurt: probability(),
    /** Size of a helpful / harmful change, in logits of each touched task's success probability. */
    helpEffect: Effect,
    hurtEffect: Effect,
    /** Per-task noise (sd, logits) added to every touched task: changes are never uniform. */
    taskJitter: nonNeg().default(0.3),
    /** Share of the tasks a change touches (1: all of them; small: specialists). */
    taskCoverage: probability().default(1),
  })
  .strict()
  .refine((m) => Math.abs(m.help + m.neutral + m.hurt - 1) < 1e-6, {
    message: 'expected help + neutral + hurt = 1',
    path: ['help'],
  });

export const ScenarioSchema = z
  .object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    trainTasks: Tasks,
    holdoutTasks: Tasks,
    seedSuccess: SeedSuccess,
    mutation: Mutation,
    budgetTrials: positiveInt(),
    proposalsPerGeneration: positiveInt(),
    repeats: positiveInt(),
    /** Trials of one candidate in flight at once (decides how much a stop can still cancel). */
    concurrency: positiveInt().default(2),
    /** Acceptance rule of our strategies (the campaign's paired test). */
    alpha: num('a number')
      .gt(0, 'expected a number between 0 and 1')
      .lt(1, 'expected a number between 0 and 1')
      .default(0.1),
    minDelta: num('a number').min(0).max(1).default(0.05),
    selection: z.enum(['best', 'pareto', 'epsilon-greedy', 'thompson']).default('thompson'),
    /** Settings of the minibatch and racing policies (the campaign's `evaluation` block, without `policy`). */
    evaluation: z
      .object({ minibatch: MinibatchSpecSchema.default({}), racing: RacingSpecSchema.default({}) })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const count = (t: number | string[]): number => (typeof t === 'number' ? t : t.length);
    if ('train' in s.seedSuccess) {
      if (s.seedSuccess.train.length !== count(s.trainTasks))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['seedSuccess', 'train'],
          message: `expected ${count(s.trainTasks)} probabilities (one per train task)`,
        });
      if (s.seedSuccess.holdout.length !== count(s.holdoutTasks))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['seedSuccess', 'holdout'],
          message: `expected ${count(s.holdoutTasks)} probabilities (one per holdout task)`,
        });
    }
    if ('uniform' in s.seedSuccess && s.seedSuccess.uniform.min > s.seedSuccess.uniform.max)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['seedSuccess', 'uniform', 'max'],
        message: 'expected at least min',
      });
    if (Array.isArray(s.trainTasks) && Array.isArray(s.holdoutTasks)) {
      const train = new Set(s.trainTasks);
      const clash = s.holdoutTasks.findIndex((t) => train.has(t));
      if (clash >= 0)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['holdoutTasks', clash],
          message: 'expected a task not in trainTasks',
        });
    }
  });

export type Scenario = z.infer<typeof ScenarioSchema>;

/** A bad scenario file: the message names the file and the field. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export function parseScenario(raw: unknown, file: string): Scenario {
  const parsed = ScenarioSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = userIssues(parsed.error.issues).map(
    (i) => `${file}: ${indexedPath(i.path) || '(top level)'}: ${i.message}`,
  );
  throw new ScenarioError(lines.join('\n'));
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(
      `${file}: cannot read the scenario file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseScenario(raw, file);
}

export const taskList = (t: number | string[], prefix: string): string[] =>
  typeof t === 'number' ? Array.from({ length: t }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`) : t;
