/**
 * Parent selection seam: which frontier candidates the next K proposals build on. Strategies read a narrow
 * view and draw only from the injected rng, so they run unchanged in workflows and in unit tests.
 * `select` returns exactly k ids (repeats allowed: one parent per proposal), or [] if the frontier is empty.
 */
import { bestOnCounts } from './frontier';
import type { Rng } from './rng';
import { weightedIndex } from './rng';
import { rankCandidates } from './scores';
import { frontierCandidates } from './state';
import type { SearchView } from './types';

export interface ParentSelector {
  readonly name: string;
  select(view: SearchView, rng: Rng, k: number): string[];
}

const repeat = (k: number, pick: () => string): string[] => Array.from({ length: Math.max(0, k) }, pick);

/** Hill-climb: always the best frontier candidate (highest mean or utility, ties → simpler, then older). */
export const bestSelector: ParentSelector = {
  name: 'best',
  select(view, _rng, k) {
    const best = rankCandidates(frontierCandidates(view), view.objective)[0];
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
    const frontier = frontierCandidates(view);
    const first = frontier[0];
    if (!first) return [];
    const weights = bestOnCounts(frontier);
    return repeat(k, () => (frontier[weightedIndex(weights, rng)] ?? first).id);
  },
};

/** With probability epsilon a uniformly random frontier member, otherwise the best one. */
export function epsilonGreedySelector(epsilon: number): ParentSelector {
  return {
    name: `epsilon-greedy(${epsilon})`,
    select(view, rng, k) {
      const ranked = rankCandidates(frontierCandidates(view), view.objective);
      const best = ranked[0];
      if (!best) return [];
      return repeat(k, () => (rng.next() < epsilon ? (ranked[rng.int(ranked.length)] ?? best) : best).id);
    },
  };
}

export type SelectionName = 'best' | 'pareto' | 'epsilon-greedy';

export function selectorFor(name: SelectionName, opts: { epsilon?: number } = {}): ParentSelector {
  if (name === 'pareto') return paretoSelector;
  if (name === 'epsilon-greedy') return epsilonGreedySelector(opts.epsilon ?? 0.1);
  return bestSelector;
}
