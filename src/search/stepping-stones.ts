/**
 * Stepping stones: how a decided child is filed, and what the campaign ships. A child shown better than its
 * *anchor* beyond noise is accepted (status `evaluated`: frontier). A child that is not, but whose mean on
 * the tasks both ran is at most `tolerance` below its parent's, stays in the search as a stepping stone:
 * status `rejected` with `anchorId` — never accepted, never on the frontier, but a parent the selectors may
 * build on and, under today's rules, a candidate for the final pick. Everything else is rejected as before.
 *
 * Why (measured in benchmarks/search-sim, 1000 seeds per shipped scenario): a paired test at alpha over one
 * evaluation misses most real but small improvements (power 20–50%), and the parent's record it compares
 * against is inflated by the very luck that made it the best-ranked parent. So "above the parent" keeps too
 * few stones where effects are small and noise large, and a pick limited to accepted children ships the
 * 1–3 a campaign accepts instead of the best it found. Stones let such steps add up; their descendants are
 * tested against the anchor — the nearest *accepted* ancestor — so "accepted" still means "beats an
 * accepted harness beyond noise", and the false-acceptance rate stays the test's. The final pick ranks
 * accepted candidates and stones together by their own records (while both are carried, a stone below its
 * parent ranks below it); the pick's holdout score beside the seed's is what the campaign reports. (The stone's own record is the policy's reference:
 * what its children race against and must top to become stones themselves.)
 */
import type { AcceptanceCriterion, AcceptanceDecision } from './acceptance';
import { pairedDiffs } from './acceptance';
import type { Rng } from './rng';
import { rankCandidates } from './scores';
import { findCandidate, frontierCandidates } from './state';
import type { CandidateRecord, SearchView } from './types';

/** Stones carried at most (the best-ranked are kept): bounds workflow state across continue-as-new. */
export const MAX_STEPPING_STONES = 24;

/** How stones are kept and whether one may be the final pick: part of a campaign's carried state. */
export interface StoneRules {
  /** A rejected child stays a stone when its mean is at most this far below its parent's on shared tasks. */
  tolerance: number;
  /** The final pick ranks stones beside accepted candidates (else accepted candidates only). */
  mayShip: boolean;
}

/** Today's rules (benchmarks/search-sim: best true holdout on every shipped scenario, false acceptance ≤ alpha). */
export const STONE_RULES: StoneRules = { tolerance: 0.05, mayShip: true };

/** The rules campaigns started before STONE_RULES ran under: only better-on-average stones, never shipped. */
export const LEGACY_STONE_RULES: StoneRules = { tolerance: 0, mayShip: false };

export const isSteppingStone = (c: Pick<CandidateRecord, 'status' | 'anchorId'>): boolean =>
  c.status === 'rejected' && typeof c.anchorId === 'string';

/** The accepted record a child of `parentId` must beat: the parent itself, or a stone's anchor. */
export function anchorFor(view: SearchView, parentId: string): CandidateRecord | undefined {
  const parent = findCandidate(view, parentId);
  if (!parent) return undefined;
  if (parent.status === 'evaluated') return parent;
  const anchor = isSteppingStone(parent) ? findCandidate(view, parent.anchorId as string) : undefined;
  return anchor?.status === 'evaluated' ? anchor : undefined;
}

/** Who may be a parent: the frontier, then the stepping stones (best-ranked first). */
export function parentPool(view: SearchView): CandidateRecord[] {
  const stones = rankCandidates(view.candidates.filter(isSteppingStone), view.objective);
  return [...frontierCandidates(view), ...stones];
}

/** The policy's early decision, when it made one (racing, minibatch). */
export interface EarlyDecision {
  accepted: boolean;
  reason: string;
}

export interface ChildFiling {
  status: 'evaluated' | 'rejected';
  reason: string;
  /** Set for a stepping stone: the accepted ancestor its children are tested against. */
  anchorId?: string;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Files an evaluated child of `parentId`. The policy's early reject is final for acceptance; its early
 * accept stands when the parent is the anchor (that is what it tested), else `criterion` decides against
 * the anchor — as it does when the policy left the decision open. `stones: false` gives the plain rule
 * (accepted or rejected against the parent), which greedy acceptance and the peers' emulations use.
 * `tolerance` (default STONE_RULES') is how far below its parent a stone may be; a child the policy
 * rejected early (a failed screen, a racing reject) gets none: it was shown worse, not just unproven.
 */
export function fileChild(
  view: SearchView,
  child: CandidateRecord,
  parentId: string,
  early: EarlyDecision | null | undefined,
  criterion: AcceptanceCriterion,
  rng: Rng,
  opts: { stones: boolean; tolerance?: number },
): ChildFiling {
  const parent = findCandidate(view, parentId);
  const anchor = anchorFor(view, parentId);
  if (!parent || !anchor) return { status: 'rejected', reason: 'parent unknown' };
  let decision: AcceptanceDecision | EarlyDecision;
  if (early && (!early.accepted || anchor.id === parent.id)) decision = early;
  else {
    const d = criterion.decide(child, anchor, rng);
    decision =
      anchor.id === parent.id
        ? d
        : { ...d, reason: `against anchor ${anchor.id} (the stone ${parent.id}'s accepted ancestor): ${d.reason}` };
  }
  if (decision.accepted) return { status: 'evaluated', reason: decision.reason };
  const diffs = pairedDiffs(child, parent);
  const tolerance = early && !early.accepted ? 0 : (opts.tolerance ?? STONE_RULES.tolerance);
  const delta = mean(diffs);
  if (opts.stones && diffs.length > 0 && delta > -tolerance + 1e-9) {
    const how =
      delta > 1e-9 ? 'better than its parent on average, not significantly' : `within ${tolerance} of its parent`;
    return {
      status: 'rejected',
      anchorId: anchor.id,
      reason: `${decision.reason}; kept as a stepping stone (${how}; its children must beat ${anchor.id})`,
    };
  }
  return { status: 'rejected', reason: decision.reason };
}

/** Keeps the accepted records and the best MAX_STEPPING_STONES stones; drops the other rejected ones. */
export function carriedRecords(
  candidates: readonly CandidateRecord[],
  view: Pick<SearchView, 'objective'> = {},
): CandidateRecord[] {
  const keep = new Set(
    rankCandidates(candidates.filter(isSteppingStone), view.objective)
      .slice(0, MAX_STEPPING_STONES)
      .map((c) => c.id),
  );
  return candidates.filter((c) => c.status === 'evaluated' || keep.has(c.id));
}

/**
 * What the campaign ships (holdout, status, summary, export): the best-ranked accepted candidate or, when
 * `rules.mayShip`, stepping stone, by the view's objective; null before the seed is scored.
 */
export function finalPick(view: SearchView, rules: Pick<StoneRules, 'mayShip'> = STONE_RULES): CandidateRecord | null {
  const eligible = view.candidates.filter((c) => c.status === 'evaluated' || (rules.mayShip && isSteppingStone(c)));
  return rankCandidates(eligible, view.objective)[0] ?? null;
}
