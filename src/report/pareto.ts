/**
 * The report's Pareto view: every candidate scored on train, placed by its mean train score against what one
 * task costs it — USD per task and tokens per task (means over tasks of its mean train trial, weighed like
 * scores) — and marked when no other candidate is at least as good on score and at least as cheap, and
 * strictly better on one of the two. Two planes, two marks: cheap in dollars is not always cheap in tokens
 * (cache reads, model prices). Pure.
 */
import { meanPerTask } from '../search/scores';
import type { CandidateView, ParetoPoint, TrialIndexRow } from './types';

interface Plane {
  score: number;
  cost: number;
}

/** Non-dominated on (score ↑, cost ↓); equal points do not dominate each other. */
export function nonDominated(points: readonly Plane[]): boolean[] {
  return points.map(
    (p) => !points.some((q) => q.score >= p.score && q.cost <= p.cost && (q.score > p.score || q.cost < p.cost)),
  );
}

export function paretoPoints(views: readonly CandidateView[], trials: readonly TrialIndexRow[]): ParetoPoint[] {
  const trainOf = new Map<string, TrialIndexRow[]>();
  for (const t of trials) {
    if (t.split !== 'train' || t.candidateId === null) continue;
    const rows = trainOf.get(t.candidateId);
    if (rows) rows.push(t);
    else trainOf.set(t.candidateId, [t]);
  }
  const scored = views.filter(
    (v) => (v.status === 'evaluated' || v.status === 'rejected') && v.train !== null && trainOf.has(v.id),
  );
  const base = scored.map((v) => {
    const rows = trainOf.get(v.id) ?? [];
    return {
      candidateId: v.id,
      status: v.status,
      train: v.train ?? 0,
      costPerTask: meanPerTask(rows.map((r) => ({ task: r.task, value: r.costUsd }))),
      tokensPerTask: meanPerTask(rows.map((r) => ({ task: r.task, value: r.tokens }))),
    };
  });
  const byCost = nonDominated(base.map((p) => ({ score: p.train, cost: p.costPerTask })));
  const byTokens = nonDominated(base.map((p) => ({ score: p.train, cost: p.tokensPerTask })));
  return base.map((p, i) => ({ ...p, onCostFront: byCost[i] ?? false, onTokensFront: byTokens[i] ?? false }));
}
