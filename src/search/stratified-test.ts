/**
 * One-sided task-stratified permutation test over repeat-level rewards (child vs parent). Within each task
 * the child's and the parent's repeat rewards are pooled and the "child" labels permuted, keeping each
 * side's count per task; tasks are never mixed, so a hard task cannot lend noise to an easy one. Statistic:
 * the sum over tasks of (mean child − mean parent), so every task weighs the same whatever its repeat count.
 * p = share of label assignments whose statistic is at least the observed one.
 *
 * Why not a sign-flip test on per-task means: with m tasks its smallest p is 2^-m whatever the repeats, so
 * one task going from always-fail to always-pass can never be significant. Here repeats add power: 3
 * repeats a side on that one task give p = 1/C(6,3) = 1/20.
 *
 * Exact enumeration when the label assignments are few, else Monte Carlo with the injected rng (so it is
 * deterministic in workflows). Pure: no I/O, no Math.random.
 */
import type { Rng } from './rng';

const EPS = 1e-9;

/** One task's repeat rewards on each side (both non-empty for the task to count). */
export interface TaskSamples {
  child: readonly number[];
  parent: readonly number[];
}

export interface StratifiedTestOptions {
  /** Enumerate every label assignment when there are at most this many (default 20,000). */
  exactMaxAssignments?: number;
  /** Random label assignments otherwise (default 2,000). */
  permutations?: number;
}

/** Number of ways to relabel: product over tasks of C(n_child + n_parent, n_child). Infinity on overflow. */
export function labelAssignments(tasks: readonly TaskSamples[]): number {
  let total = 1;
  for (const t of tasks) total *= binomial(t.child.length + t.parent.length, t.child.length);
  return Number.isFinite(total) ? total : Infinity;
}

/** Smallest p-value the test can give on this design (ties in the data only raise it). */
export const minStratifiedPValue = (tasks: readonly TaskSamples[]): number => 1 / labelAssignments(tasks);

/**
 * Per task, only the sum of the rewards labelled "child" varies: mean child − mean parent equals
 * S·(1/n_c + 1/n_p) − total/n_p. So we compare Σ weight·S against its observed value.
 */
interface Stratum {
  pooled: number[];
  nChild: number;
  weight: number;
}

function strata(tasks: readonly TaskSamples[]): Stratum[] {
  return tasks
    .filter((t) => t.child.length > 0 && t.parent.length > 0)
    .map((t) => ({
      pooled: [...t.child, ...t.parent],
      nChild: t.child.length,
      weight: 1 / t.child.length + 1 / t.parent.length,
    }))
    .filter((s) => s.pooled.some((x) => Math.abs(x - (s.pooled[0] ?? 0)) > EPS)); // all-equal tasks never vary
}

/** p-value for "child beats parent"; 1 when no task has any variation to permute. */
export function stratifiedPValue(tasks: readonly TaskSamples[], rng: Rng, opts: StratifiedTestOptions = {}): number {
  const ss = strata(tasks);
  if (ss.length === 0) return 1;
  const observed = ss.reduce((a, s) => a + s.weight * sum(s.pooled.slice(0, s.nChild)), 0);
  const assignments = ss.reduce((a, s) => a * binomial(s.pooled.length, s.nChild), 1);
  if (assignments <= (opts.exactMaxAssignments ?? 20_000)) return exactPValue(ss, observed);
  return monteCarloPValue(ss, observed, rng, opts.permutations ?? 2_000);
}

function exactPValue(ss: readonly Stratum[], observed: number): number {
  let totals = [0];
  for (const s of ss) {
    const sums = subsetSums(s.pooled, s.nChild).map((x) => x * s.weight);
    totals = totals.flatMap((t) => sums.map((x) => t + x));
  }
  return totals.filter((t) => t >= observed - EPS).length / totals.length;
}

function monteCarloPValue(ss: readonly Stratum[], observed: number, rng: Rng, draws: number): number {
  const scratch = ss.map((s) => [...s.pooled]);
  let hits = 0;
  for (let d = 0; d < draws; d++) {
    let total = 0;
    ss.forEach((s, i) => {
      const a = scratch[i] ?? [];
      let picked = 0;
      // Partial Fisher–Yates: the first nChild slots become a uniform random subset (from any start order).
      for (let k = 0; k < s.nChild; k++) {
        const j = k + rng.int(a.length - k);
        const x = a[j] ?? 0;
        a[j] = a[k] ?? 0;
        a[k] = x;
        picked += x;
      }
      total += s.weight * picked;
    });
    if (total >= observed - EPS) hits++;
  }
  return (hits + 1) / (draws + 1); // the observed assignment counts, so p is never 0
}

/** Sums of every k-subset of values (C(n, k) entries). */
function subsetSums(values: readonly number[], k: number): number[] {
  const out: number[] = [];
  const walk = (start: number, left: number, acc: number): void => {
    if (left === 0) {
      out.push(acc);
      return;
    }
    for (let i = start; i <= values.length - left; i++) walk(i + 1, left - 1, acc + (values[i] ?? 0));
  };
  walk(0, k, 0);
  return out;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - Math.min(k, n - k) + i)) / i;
  return Math.round(r);
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
