/**
 * The synthetic world of one simulation seed: each harness is a vector of true per-task success
 * probabilities (kept as logits), the seed's drawn from the scenario, and each proposal changes its parent
 * by the scenario's mutation model. Proposal number i draws the same kind and effect in every strategy
 * (common random numbers), so strategies differ by how they search, not by luck of the draw.
 */
import { createRng, deriveSeed, type Rng } from '../../src/search/rng';
import { taskList, type Scenario } from './scenario';

export type Truth = Record<string, number>; // task -> logit of the true success probability

export type ProposalKind = 'help' | 'neutral' | 'hurt';

const clampP = (p: number): number => Math.min(0.999, Math.max(0.001, p));
const logit = (p: number): number => Math.log(clampP(p) / (1 - clampP(p)));
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Standard normal (Box–Muller) from the seeded rng. */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 boosted). */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - rng.next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

const beta = (a: number, b: number, rng: Rng): number => {
  const x = gamma(a, rng);
  return x / (x + gamma(b, rng));
};

export interface World {
  train: string[];
  holdout: string[];
  seed: Truth;
  /** The child of `parent` that proposal number `index` makes, and what kind of change it was. */
  propose(parent: Truth, index: number): { truth: Truth; kind: ProposalKind };
}

export function createWorld(scenario: Scenario, seed: number): World {
  const train = taskList(scenario.trainTasks, 'train');
  const holdout = taskList(scenario.holdoutTasks, 'holdout');
  const rng = createRng(deriveSeed(seed, 'seed-harness'));
  const s = scenario.seedSuccess;
  const draw = (task: string, i: number, listed: readonly number[] | undefined): [string, number] => {
    if ('beta' in s) return [task, logit(beta(s.beta.a, s.beta.b, rng))];
    if ('uniform' in s) return [task, logit(s.uniform.min + (s.uniform.max - s.uniform.min) * rng.next())];
    return [task, logit(listed?.[i] ?? 0.5)];
  };
  const truth: Truth = Object.fromEntries([
    ...train.map((t, i) => draw(t, i, 'train' in s ? s.train : undefined)),
    ...holdout.map((t, i) => draw(t, i, 'holdout' in s ? s.holdout : undefined)),
  ]);
  const m = scenario.mutation;
  return {
    train,
    holdout,
    seed: truth,
    propose(parent, index) {
      const r = createRng(deriveSeed(seed, 'proposal', index));
      const u = r.next();
      const kind: ProposalKind = u < m.help ? 'help' : u < m.help + m.neutral ? 'neutral' : 'hurt';
      const size = kind === 'help' ? m.helpEffect : m.hurtEffect;
      const effect = kind === 'neutral' ? 0 : (kind === 'help' ? 1 : -1) * Math.max(0, size.mean + size.sd * normal(r));
      const child: Truth = {};
      for (const [task, x] of Object.entries(parent)) {
        const touched = r.next() < m.taskCoverage;
        const jitter = normal(r) * m.taskJitter;
        child[task] = touched ? x + effect + jitter : x;
      }
      return { truth: child, kind };
    },
  };
}

/** Mean true success probability over `tasks`. */
export const trueSuccess = (truth: Truth, tasks: readonly string[]): number =>
  tasks.reduce((a, t) => a + sigmoid(truth[t] ?? -Infinity), 0) / Math.max(1, tasks.length);
