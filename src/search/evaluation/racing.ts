/**
 * `racing`: trials stream back and, after each one, an anytime-valid sequential test decides accept /
 * reject / continue; contested tasks get extra repeats up to a cap; a decided candidate's remaining trials
 * are cancelled by the workflow.
 *
 * Test: a time-uniform confidence sequence (Howard, Ramdas, McAuliffe & Sekhon 2021, "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences"; normal-mixture boundary, see confidence-sequence.ts)
 * on paired differences X = child reward − parent's recorded mean reward on the same task. X lies in a
 * range of width 1, so it is sub-Gaussian with σ² = 1/4 (Hoeffding). The parent's record is taken as
 * given (the test conditions on it, as the frontier does); trials are ordered in a fixed sequence — a
 * seeded shuffle of the tasks, every task once per round, then extra rounds on contested tasks chosen from
 * earlier data only — and the test reads the longest fully observed prefix of that sequence, so the order
 * in which trials happen to finish cannot bias it, and the choice of each trial's task is predictable.
 *
 * - accept: once every task has run, the lower bound (level `alpha`) on the mean difference is > 0.
 *   Valid at any stopping time: P(ever accepting a child no better than its parent's record) ≤ alpha.
 * - reject (futility): the upper bound (level `futilityAlpha`) shows the child cannot be expected to reach
 *   the accept threshold even with every extra repeat; or the base schedule is done and the child is not
 *   ahead; or the extra repeats are spent. Rejecting never raises the false-accept rate; it costs power
 *   only for children that were unlikely to be accepted anyway.
 */
import { createRng, deriveSeed, shuffled } from '../rng';
import { acceptThreshold, meanBounds } from './confidence-sequence';
import { fullPolicy } from './full';
import type { EvaluationPolicy, ObservedTrial, PlannedTrial, PolicyInput, PolicyStep } from './policy';
import { fmt, mean, notYetPlanned, pairedTasks, roundSchedule, trialKey } from './trials';

const EPS = 1e-9;

/** Seeded task order of the rounds. */
export const racingOrder = (input: PolicyInput): string[] => shuffled(input.tasks, createRng(deriveSeed(input.seed, 'racing')));

/** The test's fixed sequence: base rounds, then extra repeats (repeat ≥ repeats) by round, then task order. */
function sequence(input: PolicyInput, order: readonly string[], planned: readonly PlannedTrial[]): PlannedTrial[] {
  const rank = new Map(order.map((t, i) => [t, i]));
  const extras = planned.filter((t) => t.repeat >= input.repeats).sort((a, b) => a.repeat - b.repeat || (rank.get(a.task) ?? 0) - (rank.get(b.task) ?? 0));
  return [...roundSchedule(order, input.repeats), ...extras];
}

interface Evidence {
  /** Paired differences over the observed prefix of the sequence. */
  xs: number[];
  /** Observed scores per task (all observed trials, for the record of who is contested). */
  child: Record<string, number[]>;
}

function evidence(input: PolicyInput, seq: readonly PlannedTrial[], observed: readonly ObservedTrial[]): Evidence {
  const byKey = new Map(observed.map((t) => [trialKey(t), t.score]));
  const parentMean = (task: string): number | null => {
    const p = input.parentScores[task];
    return p && p.length > 0 ? mean(p) : null;
  };
  const xs: number[] = [];
  for (const t of seq) {
    const score = byKey.get(trialKey(t));
    if (score === undefined) break;
    const base = parentMean(t.task);
    if (base !== null) xs.push(score - base);
  }
  const child: Record<string, number[]> = {};
  for (const t of [...observed].sort((a, b) => a.repeat - b.repeat)) (child[t.task] ??= []).push(t.score);
  return { xs, child };
}

/** A task is contested when its pooled child and parent rewards are not all the same. */
function contested(input: PolicyInput, child: Record<string, number[]>, task: string): boolean {
  const pooled = [...(child[task] ?? []), ...(input.parentScores[task] ?? [])];
  return pooled.some((x) => Math.abs(x - (pooled[0] ?? 0)) > EPS);
}

export const racingPolicy: EvaluationPolicy = {
  name: 'racing',
  initial(input) {
    if (pairedTasks(input).length === 0) return fullPolicy.initial(input);
    return roundSchedule(racingOrder(input), input.repeats);
  },
  next(input, observed, pending): PolicyStep {
    const paired = pairedTasks(input);
    if (paired.length === 0) return fullPolicy.next(input, observed, pending);
    const spec = input.spec.racing;
    const order = racingOrder(input);
    const seq = sequence(input, order, [...observed, ...pending]);
    const { xs, child } = evidence(input, seq, observed);
    const tuneAtN = paired.length * input.repeats;
    const capN = paired.length * (input.repeats + spec.maxExtraRepeats);
    const b = meanBounds(xs, { range: 1, alphaLower: spec.alpha, alphaUpper: spec.futilityAlpha, tuneAtN });
    const needAtCap = acceptThreshold(capN, { range: 1, alpha: spec.alpha, tuneAtN });
    const said = `mean difference ${fmt(b.mean)} over ${b.n} trials, bounds [${fmt(b.lower)}, ${fmt(b.upper)}]`;

    const covered = input.tasks.every((t) => (child[t]?.length ?? 0) > 0);
    if (covered && b.lower > EPS) return { verdict: 'stop', decided: 'accept', reason: `racing: better than parent (${said}, alpha ${spec.alpha})` };
    if (b.upper < needAtCap) return { verdict: 'stop', decided: 'reject', reason: `racing: cannot reach the accept threshold ${fmt(needAtCap)} within the cap (${said})` };
    if (pending.length > 0) return { verdict: 'continue', schedule: [] };

    const missing = notYetPlanned(roundSchedule(order, input.repeats), observed, pending);
    if (missing.length > 0) return { verdict: 'continue', schedule: missing };
    if (b.mean <= EPS) return { verdict: 'stop', decided: 'reject', reason: `racing: not ahead of parent (${said})` };
    const extra = order
      .filter((t) => paired.includes(t) && contested(input, child, t))
      .map((task) => ({ task, repeat: child[task]?.length ?? 0 }))
      .filter((t) => t.repeat < input.repeats + spec.maxExtraRepeats);
    if (extra.length === 0) return { verdict: 'stop', decided: 'reject', reason: `racing: not shown better within ${spec.maxExtraRepeats} extra repeats (${said})` };
    return { verdict: 'continue', schedule: extra };
  },
};
