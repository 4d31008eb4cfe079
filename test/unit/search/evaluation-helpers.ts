/** Builders for evaluation-policy tests (not a test file itself). */
import { EvaluationSpecSchema, type EvaluationSpecInput, type PolicyInput } from '../../../src/search/evaluation';
import { createRng, deriveSeed, type Rng } from '../../../src/search/rng';

export const taskNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${String(i).padStart(2, '0')}`);

export function policyInput(
  over: Partial<Omit<PolicyInput, 'spec'>> & { spec?: EvaluationSpecInput } = {},
): PolicyInput {
  const tasks = over.tasks ?? taskNames(6);
  return {
    tasks,
    repeats: over.repeats ?? 2,
    parentScores: over.parentScores ?? Object.fromEntries(tasks.map((t) => [t, [1, 0]])),
    seed: over.seed ?? 1,
    spec: EvaluationSpecSchema.parse(over.spec ?? {}),
  };
}

export const bernoulli = (p: number, rng: Rng): number => (rng.next() < p ? 1 : 0);

/** A synthetic world for error-control checks: per-task success probabilities and a parent record drawn from them. */
export function world(seed: number, opts: { tasks: number; repeats: number; min?: number; max?: number }) {
  const rng = createRng(deriveSeed(seed, 'world'));
  const tasks = taskNames(opts.tasks);
  const lo = opts.min ?? 0.1;
  const hi = opts.max ?? 0.9;
  const p = Object.fromEntries(tasks.map((t) => [t, lo + (hi - lo) * rng.next()]));
  const parentScores = Object.fromEntries(
    tasks.map((t) => [t, Array.from({ length: opts.repeats }, () => bernoulli(p[t] as number, rng))]),
  );
  return { tasks, p, parentScores };
}
