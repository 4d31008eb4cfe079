/**
 * Acceptance seam: does an evaluated child join the frontier? Compared with its parent on the tasks both
 * ran. The improvement (delta) is the mean over shared tasks of the per-task mean difference; whether it is
 * beyond noise is decided by a paired test — by default task-stratified over repeat-level rewards, so
 * repeats add power. Equal scores go to the simpler harness. The seed has no parent and is always accepted
 * by the caller.
 */
import { signFlipPValue, minTasksForAlpha } from './paired-test';
import type { Rng } from './rng';
import { taskMeans } from './scores';
import { minStratifiedPValue, stratifiedPValue, type TaskSamples } from './stratified-test';
import type { CandidateRecord } from './types';

/** 'stratified': permutation test over repeat rewards within each task; 'task-means': sign flips of per-task mean differences. */
type PairedTestKind = 'stratified' | 'task-means';

export interface AcceptanceDecision {
  accepted: boolean;
  reason: string;
  /** Mean per-task improvement of child over parent on shared tasks. */
  delta: number;
  pValue: number | null;
}

export interface AcceptanceCriterion {
  readonly name: string;
  decide(child: CandidateRecord, parent: CandidateRecord, rng: Rng): AcceptanceDecision;
}

const EPS = 1e-9;
const fmt = (x: number): string => (Math.round(x * 1000) / 1000).toString();

/** Tasks both ran (at least one reward each), sorted. */
const sharedTasks = (child: CandidateRecord, parent: CandidateRecord): string[] =>
  Object.keys(child.taskRewards)
    .filter((t) => (child.taskRewards[t]?.length ?? 0) > 0 && (parent.taskRewards[t]?.length ?? 0) > 0)
    .sort();

/** Per-task (child − parent) mean differences over tasks both ran, in task order. */
export function pairedDiffs(child: CandidateRecord, parent: CandidateRecord): number[] {
  const c = taskMeans(child.taskRewards);
  const p = taskMeans(parent.taskRewards);
  return sharedTasks(child, parent).map((t) => (c[t] ?? 0) - (p[t] ?? 0));
}

/** Repeat-level rewards of both sides on each shared task, in task order. */
function pairedSamples(child: CandidateRecord, parent: CandidateRecord): TaskSamples[] {
  return sharedTasks(child, parent).map((t) => ({
    child: child.taskRewards[t] ?? [],
    parent: parent.taskRewards[t] ?? [],
  }));
}

/** Shared handling of "no shared tasks", "worse" and "equal → simpler wins"; null when delta > 0. */
function decideNonImprovement(
  child: CandidateRecord,
  parent: CandidateRecord,
  diffs: number[],
  delta: number,
): AcceptanceDecision | null {
  if (diffs.length === 0) return { accepted: false, reason: 'no tasks shared with the parent', delta: 0, pValue: null };
  if (delta > EPS) return null;
  if (delta < -EPS) return { accepted: false, reason: `worse than parent by ${fmt(-delta)}`, delta, pValue: null };
  const simpler = child.complexity < parent.complexity;
  const reason = simpler ? 'ties parent and is simpler' : 'ties parent and is not simpler';
  return { accepted: simpler, reason, delta, pValue: null };
}

export interface NoiseAcceptanceOptions {
  /** Significance level of the one-sided paired test. */
  alpha?: number;
  /** Improvement that suffices when there are too few data for the test to ever reach alpha. */
  minDelta?: number;
  /** Which paired test (default 'stratified'). */
  test?: PairedTestKind;
  /**
   * Override: fewest shared tasks to use the test. Default: 'task-means' needs the fewest tasks for which
   * p < alpha is possible; 'stratified' needs enough label assignments (over tasks and repeats) for that.
   */
  minTasksForTest?: number;
  /** Monte Carlo draws when exact enumeration is too large (per test's own default otherwise). */
  permutations?: number;
}

/** Accept only an improvement unlikely to be noise: a one-sided paired test of child vs parent. */
export function beatsParentBeyondNoise(opts: NoiseAcceptanceOptions = {}): AcceptanceCriterion {
  const alpha = opts.alpha ?? 0.1;
  const minDelta = opts.minDelta ?? 0.05;
  const test = opts.test ?? 'stratified';
  return {
    name: `beats-parent-beyond-noise(alpha=${alpha}, minDelta=${minDelta}, test=${test})`,
    decide(child, parent, rng) {
      const diffs = pairedDiffs(child, parent);
      const delta = diffs.reduce((a, b) => a + b, 0) / Math.max(1, diffs.length);
      const early = decideNonImprovement(child, parent, diffs, delta);
      if (early) return early;
      const samples = pairedSamples(child, parent);
      const tooFew = tooFewForTest(test, samples, alpha, opts.minTasksForTest);
      if (tooFew) {
        const ok = delta >= minDelta - EPS;
        return {
          accepted: ok,
          reason: `${tooFew}; improvement ${fmt(delta)} ${ok ? '>=' : '<'} minDelta ${minDelta}`,
          delta,
          pValue: null,
        };
      }
      const pValue =
        test === 'stratified'
          ? stratifiedPValue(samples, rng, { permutations: opts.permutations })
          : signFlipPValue(diffs, rng, { permutations: opts.permutations });
      const ok = pValue < alpha;
      const repeats =
        test === 'stratified' ? ` (${samples.reduce((a, s) => a + s.child.length, 0)} child repeats)` : '';
      const reason = `improvement ${fmt(delta)} over ${diffs.length} tasks${repeats}, ${test} p=${fmt(pValue)} ${ok ? '<' : '>='} alpha ${alpha}`;
      return { accepted: ok, reason, delta, pValue };
    },
  };
}

/** Why the test could never reach alpha on this design (so minDelta decides), or null. */
function tooFewForTest(
  test: PairedTestKind,
  samples: readonly TaskSamples[],
  alpha: number,
  minTasks: number | undefined,
): string | null {
  const tooFewTasks = `${samples.length} shared tasks are too few for a test`;
  if (minTasks !== undefined) return samples.length < minTasks ? tooFewTasks : null;
  if (test === 'task-means') return samples.length < minTasksForAlpha(alpha) ? tooFewTasks : null;
  return minStratifiedPValue(samples) >= alpha
    ? `${samples.length} shared tasks and their repeats are too few for a test`
    : null;
}

/** Greedy: any mean improvement is accepted (equal scores still go to the simpler harness). */
export const alwaysAcceptImprovement: AcceptanceCriterion = {
  name: 'always-accept-improvement',
  decide(child, parent) {
    const diffs = pairedDiffs(child, parent);
    const delta = diffs.reduce((a, b) => a + b, 0) / Math.max(1, diffs.length);
    return (
      decideNonImprovement(child, parent, diffs, delta) ?? {
        accepted: true,
        reason: `improvement ${fmt(delta)}`,
        delta,
        pValue: null,
      }
    );
  },
};
