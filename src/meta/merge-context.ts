/**
 * What a merge proposal shows the meta-agent besides the parent (GEPA's merge): the other harness's files,
 * the train tasks each side wins, and each side's diff from their nearest common ancestor in the lineage
 * (parentId links in the store; every candidate of a campaign descends from its seed). Harness folders are
 * the campaign's content-addressed `harnesses/<id>/`.
 */
import { diffFiles } from '../harness/diff';
import { loadHarness } from '../harness/load';
import type { CampaignStore } from '../store/store';
import type { MergeRequest } from '../workflows/types';
import type { MergeInput } from './schema';
import { harnessDirFor } from '../store/references';

/** `id` and its ancestors by parentId, nearest first (a cycle or a missing record ends the walk). */
export async function lineageOf(store: CampaignStore, id: string): Promise<string[]> {
  const out: string[] = [];
  for (let cur: string | null = id; cur !== null && !out.includes(cur);) {
    out.push(cur);
    cur = (await store.getCandidate(cur))?.parentId ?? null;
  }
  return out;
}

/** The nearest ancestor of `b` (itself included) that is also an ancestor of `a` (itself included), or null. */
export async function commonAncestor(store: CampaignStore, a: string, b: string): Promise<string | null> {
  const ofA = new Set(await lineageOf(store, a));
  return (await lineageOf(store, b)).find((id) => ofA.has(id)) ?? null;
}

export async function readMergeInput(
  store: CampaignStore,
  opts: { campaignDir: string; parent: { id: string; files: Record<string, string> }; merge: MergeRequest },
): Promise<MergeInput> {
  const other = await loadHarness(
    await harnessDirFor(store, opts.campaignDir, opts.merge.other.id, process.env, opts.merge.other.dir),
  );
  const ancestorId = await commonAncestor(store, opts.parent.id, other.id);
  const ancestor =
    ancestorId === null
      ? null
      : await loadHarness(await harnessDirFor(store, opts.campaignDir, ancestorId)).catch(() => null);
  const base = (fallback: Record<string, string>): Record<string, string> => ancestor?.files ?? fallback;
  return {
    other: { files: other.files, id: other.id },
    parentWins: [...opts.merge.parentWins],
    otherWins: [...opts.merge.otherWins],
    ancestorId: ancestor ? ancestorId : null,
    parentDiff: diffFiles(base(other.files), opts.parent.files),
    otherDiff: diffFiles(base(opts.parent.files), other.files),
  };
}
