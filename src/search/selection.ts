/**
 * Parent selection seam: which frontier candidates the next K proposals build on. Strategies read a narrow
 * view and draw only from the injected rng, so they run unchanged in workflows and in unit tests.
 * `select` returns exactly k ids (repeats allowed: one parent per proposal), or [] if the frontier is empty.
 * Candidates are drawn from the frontier and the stepping stones (stepping-stones.ts); without stones that
 * is the frontier alone, exactly as before.
 */
import { bestOnCounts, paretoFrontier } from './frontier';
import type { Rng } from './rng';
import { weightedIndex } from './rng';
import { rankCandidates } from './scores';
import { frontierCandidates } from './state';
import { isSteppingStone, parentPool } from './stepping-stones';
import type { CandidateRecord, SearchView } from './types';

export interface ParentSelector {
  readonly name: string;
  select(view: SearchView, rng: Rng, k: number): string[];
}

const repeat = (k: number, pick: () => string): string[] => Array.from({ length: Math.max(0, k) }, pick);

/** Hill-climb: always the best frontier candidate or stone (highest mean or utility, ties → simpler, then older). */
export const bestSelector: ParentSelector = {
  name: 'best',
  select(view, _rng, k) {
    const best = rankCandidates(parentPool(view), view.objective)[0];
    return best ? repeat(k, () => best.id) : [];
  },
};

/**
 * GEPA-style Pareto sampling: each proposal's parent is drawn from the frontier with weight = the number
 * of tasks on which it attains the best score, so specialists that solve something nobody else does keep
 * getting explored instead of collapsing onto one average-best harness.
 */
export const paretoSelector: ParentSelector = {
  name: 'pareto',
  select(view, rng, k) {
    const frontier = poolFrontier(view);
    const first = frontier[0];
    if (!first) return [];
    const weights = bestOnCounts(frontier);
    return repeat(k, () => (frontier[weightedIndex(weights, rng)] ?? first).id);
  },
};

/** The non-dominated members of frontier ∪ stones (a stone is dominated like any candidate). */
function poolFrontier(view: SearchView): CandidateRecord[] {
  const stones = view.candidates.filter(isSteppingStone);
  if (stones.length === 0) return frontierCandidates(view);
  const pool = [...frontierCandidates(view), ...stones];
  const ids = paretoFrontier(
    pool.map((c) => ({ ...c, status: 'evaluated' as const })),
    view.objective,
  );
  return ids.map((id) => pool.find((c) => c.id === id)).filter((c): c is CandidateRecord => c !== undefined);
}

/** With probability epsilon a uniformly random frontier member, otherwise the best one. */
export function epsilonGreedySelector(epsilon: number): ParentSelector {
  return {
    name: `epsilon-greedy(${epsilon})`,
    select(view, rng, k) {
      const ranked = rankCandidates(parentPool(view), view.objective);
      const best = ranked[0];
      if (!best) return [];
      return repeat(k, () => (rng.next() < epsilon ? (ranked[rng.int(ranked.length)] ?? best) : best).id);
    },
  };
}

/**
 * Thompson sampling over the frontier and the stepping stones: for each proposal, every candidate's mean is
 * drawn from an approximate posterior built from its per-task records (each task's rate shrunk as
 * Krichevsky–Trofimov, (passes + ½)/(runs + 1), with variance p(1 − p)/(runs + 1); the mean over tasks is
 * then normal), and the highest draw is the parent. A thin or lucky record is no longer taken at face
 * value every time, and a candidate that is probably nearly as good still gets some proposals.
 */
export const thompsonSelector: ParentSelector = {
  name: 'thompson',
  select(view, rng, k) {
    const pool = rankCandidates(parentPool(view), view.objective);
    const first = pool[0];
    if (!first) return [];
    const spread = pool.map(posteriorSd);
    return repeat(k, () => {
      let best = first;
      let top = -Infinity;
      pool.forEach((c, i) => {
        const draw = c.meanReward + (spread[i] ?? 0) * standardNormal(rng);
        if (draw > top) [best, top] = [c, draw];
      });
      return best.id;
    });
  },
};

/** Sd of the approximate posterior of a candidate's mean over tasks (see thompsonSelector). */
export function posteriorSd(c: Pick<CandidateRecord, 'taskRewards'>): number {
  const tasks = Object.values(c.taskRewards).filter((r) => r.length > 0);
  if (tasks.length === 0) return 0;
  const variance = tasks.reduce((a, r) => {
    const p = (r.reduce((x, y) => x + y, 0) + 0.5) / (r.length + 1);
    return a + (p * (1 - p)) / (r.length + 1);
  }, 0);
  return Math.sqrt(variance) / tasks.length;
}

/** Box–Muller from the injected rng (two draws per value, so the stream stays deterministic). */
function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export type SelectionName = 'best' | 'pareto' | 'epsilon-greedy' | 'thompson';

export function selectorFor(name: SelectionName, opts: { epsilon?: number } = {}): ParentSelector {
  if (name === 'thompson') return thompsonSelector;
  if (name === 'pareto') return paretoSelector;
  if (name === 'epsilon-greedy') return epsilonGreedySelector(opts.epsilon ?? 0.1);
  return bestSelector;
}
