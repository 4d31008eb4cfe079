/**
 * Stopper seam: pure functions of (search state, ledger, clock) returning why to stop, or null. The clock
 * is injected (workflow time), never read here. Checked after each generation completes.
 */
import type { Ledger } from './ledger';
import { bestCandidate } from './state';
import type { SearchState } from './types';

export interface StopContext {
  state: Pick<SearchState, 'candidates' | 'frontierIds' | 'generation'>;
  ledger: Ledger;
  /** Epoch ms when the campaign started, and now (both from workflow time). */
  startedAtMs: number;
  nowMs: number;
}

export type Stopper = (ctx: StopContext) => string | null;

/** Stop after `n` generations beyond the seed (generation 0). */
export const maxGenerations =
  (n: number): Stopper =>
  (c) =>
    c.state.generation >= n ? `reached ${n} generations` : null;

export const maxTrials =
  (n: number): Stopper =>
  (c) =>
    c.ledger.trials >= n ? `trial budget spent (${c.ledger.trials}/${n})` : null;

export const maxDollars =
  (usd: number): Stopper =>
  (c) =>
    c.ledger.costUsd >= usd ? `dollar budget spent ($${c.ledger.costUsd.toFixed(2)}/$${usd})` : null;

export const maxTokens =
  (n: number): Stopper =>
  (c) =>
    c.ledger.tokens >= n ? `token budget spent (${c.ledger.tokens}/${n})` : null;

export const maxWallTime =
  (minutes: number): Stopper =>
  (c) =>
    c.nowMs - c.startedAtMs >= minutes * 60_000 ? `wall time of ${minutes} min reached` : null;

/** The highest-scoring accepted candidate reached `score` (by score alone, whatever the objective). */
export const targetScore =
  (score: number): Stopper =>
  (c) => {
    const best = bestCandidate({ candidates: c.state.candidates, frontierIds: c.state.frontierIds });
    return best && best.meanReward >= score ? `target score ${score} reached by ${best.id} (${best.meanReward})` : null;
  };

/** Generation of the latest accepted non-seed candidate (0 if none): the last accepted improvement. */
export function lastImprovementGeneration(state: Pick<SearchState, 'candidates'>): number {
  return state.candidates.filter((c) => c.status === 'evaluated').reduce((g, c) => Math.max(g, c.generation), 0);
}

/** Stop when no child was accepted in the last `n` generations. */
export const plateau =
  (n: number): Stopper =>
  (c) => {
    const since = c.state.generation - lastImprovementGeneration(c.state);
    return since >= n ? `plateau: no accepted improvement in ${since} generations` : null;
  };

/** The first stopper that fires, in the given order. */
export const anyStopper =
  (...stoppers: Stopper[]): Stopper =>
  (c) => {
    for (const s of stoppers) {
      const reason = s(c);
      if (reason !== null) return reason;
    }
    return null;
  };
