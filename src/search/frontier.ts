/**
 * The frontier: accepted candidates not Pareto-dominated on per-task mean reward — plus, under a cost-aware
 * objective (objective.ts), on cheapness (−USD per task), so a cheaper harness solving the same tasks stays.
 * The best-ranked candidate is always on it (a dominator would rank higher), so hill-climbing and Pareto
 * selection share it.
 */
import { isCostAware, type Objective } from './objective';
import { rankCandidates, taskMeans } from './scores';
import type { CandidateRecord } from './types';

/** Per-task means over `tasks` (a task the candidate never ran counts as 0), then −cost if cost counts. */
function vector(c: CandidateRecord, tasks: readonly string[], objective?: Objective | null): number[] {
  const means = taskMeans(c.taskRewards);
  const scores = tasks.map((t) => means[t] ?? 0);
  return isCostAware(objective) ? [...scores, -(c.costPerTask ?? 0)] : scores;
}

/** a dominates b: at least as good on every task, strictly better on one. */
function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x < y) return false;
    if (x > y) strictly = true;
  }
  return strictly;
}

/** Every task any of the candidates ran, sorted. */
export function allTasks(candidates: readonly CandidateRecord[]): string[] {
  return [...new Set(candidates.flatMap((c) => Object.keys(c.taskRewards)))].sort();
}

/**
 * Ids of the non-dominated `evaluated` candidates, best first. Among candidates with identical per-task
 * scores only the simplest (then oldest) stays: ties go to the simpler harness.
 */
export function paretoFrontier(candidates: readonly CandidateRecord[], objective?: Objective | null): string[] {
  const pool = rankCandidates(
    candidates.filter((c) => c.status === 'evaluated'),
    objective,
  );
  const tasks = allTasks(pool);
  const vectors = pool.map((c) => vector(c, tasks, objective));
  const kept: number[] = [];
  pool.forEach((_, i) => {
    const v = vectors[i] as number[];
    const beaten = vectors.some((w, j) => j !== i && dominates(w, v));
    const duplicate = kept.some((k) => (vectors[k] as number[]).every((x, t) => x === v[t]));
    if (!beaten && !duplicate) kept.push(i);
  });
  return kept.map((i) => (pool[i] as CandidateRecord).id);
}

/** For each frontier candidate, on how many tasks it attains the frontier's best (non-zero) score. */
export function bestOnCounts(frontier: readonly CandidateRecord[]): number[] {
  const tasks = allTasks(frontier);
  const vectors = frontier.map((c) => vector(c, tasks));
  const counts = frontier.map(() => 0);
  tasks.forEach((_, t) => {
    const top = Math.max(...vectors.map((v) => v[t] ?? 0));
    if (top <= 0) return; // nobody solves it: no signal about who to build on
    vectors.forEach((v, i) => {
      if ((v[t] ?? 0) === top) counts[i] = (counts[i] ?? 0) + 1;
    });
  });
  return counts;
}
