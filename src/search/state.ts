/** Pure transitions of SearchState; each returns a new state (workflow state is replaced, never mutated). */
import { paretoFrontier } from './frontier';
import { isCostAware, type Objective } from './objective';
import { rankCandidates } from './scores';
import type { CandidateRecord, SearchState, SearchView } from './types';

/** `objective` is kept only when cost counts, so a score-only state is exactly what it always was. */
export function initialSearchState(seed: number, objective?: Objective | null): SearchState {
  return {
    candidates: [],
    frontierIds: [],
    generation: 0,
    rngState: seed >>> 0,
    ...(isCostAware(objective) ? { objective } : {}),
  };
}

/** Adds (or replaces, by id) candidate records and recomputes the frontier. */
export function addCandidates(state: SearchState, records: readonly CandidateRecord[]): SearchState {
  const ids = new Set(records.map((r) => r.id));
  const candidates = [...state.candidates.filter((c) => !ids.has(c.id)), ...records];
  return { ...state, candidates, frontierIds: paretoFrontier(candidates, state.objective) };
}

export function findCandidate(view: SearchView, id: string): CandidateRecord | undefined {
  return view.candidates.find((c) => c.id === id);
}

/** Frontier records, in frontier order. */
export function frontierCandidates(view: SearchView): CandidateRecord[] {
  return view.frontierIds.map((id) => findCandidate(view, id)).filter((c): c is CandidateRecord => c !== undefined);
}

/**
 * The best accepted candidate by the view's objective (highest mean — or utility — then simpler, then
 * older), or null before the seed is scored: the campaign's final pick.
 */
export function bestCandidate(view: SearchView): CandidateRecord | null {
  return (
    rankCandidates(
      view.candidates.filter((c) => c.status === 'evaluated'),
      view.objective,
    )[0] ?? null
  );
}

/** The top `n` accepted candidates: what the campaign evaluates on holdout at the end. */
export function holdoutCandidates(view: SearchView, n: number): string[] {
  return rankCandidates(
    view.candidates.filter((c) => c.status === 'evaluated'),
    view.objective,
  )
    .slice(0, n)
    .map((c) => c.id);
}
