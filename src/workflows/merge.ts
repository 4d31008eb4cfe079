/**
 * Merge proposals in a generation (workflow code, deterministic): when campaign.yaml's `merge.every` says
 * a merge is due and two frontier candidates win on different tasks (src/search/merge.ts), the LAST slot of
 * the generation proposes their merge instead of an ordinary edit — the generation keeps its K proposals
 * and its trial plan. The branch is behind patched(MERGE_PATCH) and only reached by plans that ask for
 * merges, so histories recorded before it (no `merge` in the plan) replay unchanged.
 */
import { patched } from '@temporalio/workflow';
import { mergeDue, mergePair } from '../search/merge';
import type { CandidateRecord, SearchState } from '../search/types';
import type { CampaignPlan, HarnessRef, MergeRequest } from './types';

const MERGE_PATCH = 'merge-proposals';

export interface MergedSlots {
  /** Parent ids per slot, the merge slot's replaced by the primary parent. */
  parentIds: string[];
  /** Per slot, the merge it proposes (null for ordinary slots); absent when there is no merge this generation. */
  merges?: (MergeRequest | null)[];
}

export function planMerge(
  plan: Pick<CampaignPlan, 'merge'>,
  search: SearchState,
  generation: number,
  parentIds: string[],
  ref: (rec: Pick<CandidateRecord, 'id' | 'complexity'>) => HarnessRef,
): MergedSlots {
  if (!plan.merge || parentIds.length === 0 || !mergeDue(generation, plan.merge.every)) return { parentIds };
  const pair = mergePair(search);
  if (!pair || !patched(MERGE_PATCH)) return { parentIds };
  const other = search.candidates.find((c) => c.id === pair.otherId);
  if (!other) return { parentIds };
  const slot = parentIds.length - 1;
  const merge: MergeRequest = { other: ref(other), parentWins: pair.primaryWins, otherWins: pair.otherWins };
  return {
    parentIds: parentIds.map((id, i) => (i === slot ? pair.primaryId : id)),
    merges: parentIds.map((_, i) => (i === slot ? merge : null)),
  };
}
