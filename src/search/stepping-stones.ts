/**
 * Stepping stones: how a decided child is filed. A child shown better than its *anchor* beyond noise is
 * accepted (status `evaluated`: frontier, final pick). A child that is not, but whose mean is above its
 * parent's on the tasks both ran (not significantly: else it would be accepted), stays in the search as a
 * stepping stone: status `rejected` with
 * `anchorId` — never accepted, never on the frontier, never the final pick, but a parent the selectors may
 * build on. Everything else is rejected as before.
 *
 * Why: a paired test at alpha over one evaluation misses most real but small improvements (power 20–50%
 * in benchmarks/search-sim), and the parent's record it compares against is inflated by the very luck that
 * got the parent accepted. Stones let two such steps add up; their descendants are tested against the
 * anchor — the nearest *accepted* ancestor — so "accepted" still means "beats an accepted harness beyond
 * noise", and the false-acceptance rate stays the test's. A tie is no stone: it shows nothing
 * its parent does not. (The stone's own record is the policy's reference: what its children race against
 * and must top to become stones themselves.)
 */
import type { AcceptanceCriterion, AcceptanceDecision } from './acceptance';
import { pairedDiffs } from './acceptance';
import type { Rng } from './rng';
import { rankCandidates } from './scores';
import { findCandidate, frontierCandidates } from './state';
import type { CandidateRecord, SearchView } from './types';

/** Stones carried at most (the best-ranked are kept): bounds workflow state across continue-as-new. */
export const MAX_STEPPING_STONES = 24;

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
 */
export function fileChild(
  view: SearchView,
  child: CandidateRecord,
  parentId: string,
  early: EarlyDecision | null | undefined,
  criterion: AcceptanceCriterion,
  rng: Rng,
  opts: { stones: boolean },
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
  if (opts.stones && diffs.length > 0 && mean(diffs) > 1e-9) {
    return {
      status: 'rejected',
      anchorId: anchor.id,
      reason: `${decision.reason}; kept as a stepping stone (better than its parent on average, not significantly; its children must beat ${anchor.id})`,
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
