/**
 * Candidate views and the task × candidate heatmap, from a store snapshot. Pure.
 * Holdout scores come from holdout trials (the campaign only stores train scores on candidates); a
 * candidate with trials but no stored record yet is shown as `running` (its generation is in progress).
 */
import { taskMeans } from '../search/scores';
import type { StoredCandidate, StoredProposal } from '../store/rows';
import type { CandidateView, HeatCell, TrialIndexRow } from './types';

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

/** Per task, the rewards of one candidate's trials of one split. */
function rewardsByTask(rows: readonly TrialIndexRow[], split: 'train' | 'holdout'): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const r of rows) if (r.split === split) (out[r.task] ??= []).push(r.reward);
  return out;
}

/** Per metric, the mean over the train trials that reported it. */
function metricMeans(rows: readonly TrialIndexRow[]): Record<string, number> {
  const sums: Record<string, { s: number; n: number }> = {};
  for (const r of rows) {
    if (r.split !== 'train' || !r.metrics) continue;
    for (const [k, v] of Object.entries(r.metrics)) {
      const acc = (sums[k] ??= { s: 0, n: 0 });
      acc.s += v;
      acc.n++;
    }
  }
  return Object.fromEntries(
    Object.entries(sums)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, { s, n }]) => [k, s / n]),
  );
}

const meanOfMeans = (byTask: Record<string, number[]>): number | null => mean(Object.values(taskMeans(byTask)));

function groupTrials(rows: readonly TrialIndexRow[]): Map<string, TrialIndexRow[]> {
  const out = new Map<string, TrialIndexRow[]>();
  for (const r of rows) {
    if (r.candidateId === null) continue;
    const list = out.get(r.candidateId);
    if (list) list.push(r);
    else out.set(r.candidateId, [r]);
  }
  return out;
}

export interface CandidateInputs {
  stored: readonly StoredCandidate[];
  proposals: readonly StoredProposal[];
  trials: readonly TrialIndexRow[];
  diffs: Readonly<Record<string, string>>;
}

/** One view per stored candidate, plus `running` ones for trials of not-yet-recorded candidates. */
export function candidateViews(input: CandidateInputs): CandidateView[] {
  const byCandidate = groupTrials(input.trials);
  const views: CandidateView[] = input.stored.map((c) => {
    const rows = byCandidate.get(c.id) ?? [];
    return {
      id: c.id,
      parentId: c.parentId,
      generation: c.generation,
      status: c.status,
      verdict: c.verdict,
      rationale: c.rationale,
      train: c.status === 'invalid' ? null : c.meanReward,
      holdout: meanOfMeans(rewardsByTask(rows, 'holdout')),
      delta: null,
      costUsd: c.costUsd,
      complexity: c.complexity,
      diff: input.diffs[c.id] ?? null,
      secondParentId: c.secondParentId ?? null,
      trials: rows.length,
      createdAt: c.createdAt,
      metrics: metricMeans(rows),
    };
  });
  const known = new Set(views.map((v) => v.id));
  const nextGen = views.reduce((g, v) => Math.max(g, v.generation + 1), 0);
  for (const [id, rows] of byCandidate) {
    if (known.has(id)) continue;
    const proposal = input.proposals.find((p) => p.candidateId === id);
    views.push({
      id,
      parentId: proposal?.parentId ?? null,
      generation: proposal?.generation ?? nextGen,
      status: 'running',
      verdict: 'being evaluated',
      rationale: proposal?.rationale ?? '',
      train: meanOfMeans(rewardsByTask(rows, 'train')),
      holdout: meanOfMeans(rewardsByTask(rows, 'holdout')),
      delta: null,
      costUsd: rows.reduce((s, r) => s + r.costUsd, 0),
      complexity: 0,
      diff: input.diffs[id] ?? null,
      secondParentId: null,
      trials: rows.length,
      createdAt: rows[0]?.createdAt ?? '',
      metrics: metricMeans(rows),
    });
  }
  const byId = new Map(views.map((v) => [v.id, v]));
  for (const v of views) {
    const parent = v.parentId === null ? undefined : byId.get(v.parentId);
    if (parent && parent.train !== null && v.train !== null) v.delta = v.train - parent.train;
  }
  return views;
}

/** Heatmap cells: every scored candidate × every task it ran, with flips against its parent. */
export function heatCells(
  views: readonly CandidateView[],
  stored: readonly StoredCandidate[],
  trials: readonly TrialIndexRow[],
): HeatCell[] {
  const byCandidate = groupTrials(trials);
  const storedById = new Map(stored.map((c) => [c.id, c]));
  const cellsOf = new Map<string, Map<string, HeatCell>>();
  for (const v of views) {
    if (v.status === 'invalid') continue;
    const rows = byCandidate.get(v.id) ?? [];
    const s = storedById.get(v.id);
    const train = s && Object.keys(s.taskRewards).length > 0 ? s.taskRewards : rewardsByTask(rows, 'train');
    const cells = new Map<string, HeatCell>();
    const add = (split: 'train' | 'holdout', byTask: Record<string, number[]>): void => {
      for (const [task, rewards] of Object.entries(byTask)) {
        cells.set(`${split}:${task}`, {
          candidateId: v.id,
          task,
          split,
          mean: mean(rewards) ?? 0,
          n: rewards.length,
          flip: 0,
        });
      }
    };
    add('train', train);
    add('holdout', rewardsByTask(rows, 'holdout'));
    cellsOf.set(v.id, cells);
  }
  const out: HeatCell[] = [];
  for (const v of views) {
    const cells = cellsOf.get(v.id);
    if (!cells) continue;
    const parentCells = v.parentId === null ? undefined : cellsOf.get(v.parentId);
    for (const [key, cell] of cells) {
      const before = parentCells?.get(key);
      if (before) cell.flip = cell.mean > before.mean ? 1 : cell.mean < before.mean ? -1 : 0;
      out.push(cell);
    }
  }
  return out;
}
