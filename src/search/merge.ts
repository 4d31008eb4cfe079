/**
 * When and what to merge (GEPA's merge, as a pure strategy): every `every`-th generation, one proposal
 * combines the two frontier candidates that complement each other most — each wins (higher mean reward)
 * on tasks the other loses, the pair maximising the smaller of the two win counts, then the total, then
 * frontier rank. The better-ranked one is the primary parent: the merged child must beat it to be accepted.
 * A pair whose merge was already accepted (a carried candidate with those two parents) is not merged again.
 */
import { allTasks } from './frontier';
import { rankCandidates, taskMeans } from './scores';
import { frontierCandidates } from './state';
import type { CandidateRecord, SearchView } from './types';

export interface MergePair {
  primaryId: string;
  otherId: string;
  /** Tasks where the primary's mean is higher, and where the other's is. */
  primaryWins: string[];
  otherWins: string[];
}

export const mergeDue = (generation: number, every: number): boolean =>
  every > 0 && generation > 0 && generation % every === 0;

function wins(a: CandidateRecord, b: CandidateRecord): [string[], string[]] {
  const ma = taskMeans(a.taskRewards);
  const mb = taskMeans(b.taskRewards);
  const tasks = allTasks([a, b]);
  return [tasks.filter((t) => (ma[t] ?? 0) > (mb[t] ?? 0)), tasks.filter((t) => (mb[t] ?? 0) > (ma[t] ?? 0))];
}

const alreadyMerged = (view: SearchView, a: string, b: string): boolean =>
  view.candidates.some(
    (c) => (c.parentId === a && c.secondParentId === b) || (c.parentId === b && c.secondParentId === a),
  );

/** The pair to merge now, or null when no two frontier candidates win on different tasks. */
export function mergePair(view: SearchView): MergePair | null {
  const ranked = rankCandidates(frontierCandidates(view), view.objective);
  let best: (MergePair & { key: [number, number] }) | null = null;
  for (let i = 0; i < ranked.length; i++) {
    for (let j = i + 1; j < ranked.length; j++) {
      const a = ranked[i] as CandidateRecord;
      const b = ranked[j] as CandidateRecord;
      const [aw, bw] = wins(a, b);
      if (aw.length === 0 || bw.length === 0 || alreadyMerged(view, a.id, b.id)) continue;
      const key: [number, number] = [Math.min(aw.length, bw.length), aw.length + bw.length];
      if (!best || key[0] > best.key[0] || (key[0] === best.key[0] && key[1] > best.key[1])) {
        best = { primaryId: a.id, otherId: b.id, primaryWins: aw, otherWins: bw, key };
      }
    }
  }
  if (!best) return null;
  const { key: _key, ...pair } = best;
  return pair;
}
