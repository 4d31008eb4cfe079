/**
 * SPRT of rewards in [0, 1] against per-task null rates (Wald 1945, "Sequential tests of statistical
 * hypotheses"): exact for pass/fail rewards, valid for any [0, 1] reward by convexity, always-valid by
 * Ville's inequality. Racing uses it to reject early.
 *
 * Per trial on a task with null rate p0 (the parent's shrunk record) and alternative p1 > p0, the increment
 * is the Bernoulli log-likelihood ratio at reward s:  s·log(p1/p0) + (1 − s)·log((1 − p1)/(1 − p0)).
 * exp(−increment) is convex in s, so for a reward in [0, 1] with mean m ≥ p1 its expectation is at most
 * the Bernoulli one at p1, which is 1: exp(−Σ) is a test supermartingale for a child at least p1 on every
 * trial's task, and P(ever Σ ≤ log β) ≤ β. It also uses each task's own variance: a task the parent
 * always passes carries next to no evidence either way, where a sub-Gaussian bound charges it a coin flip.
 * (The upper boundary is not used to accept: it would treat a 2-run parent record as the parent's true
 * rate, and the simulations in the tests show that inflates false accepts far beyond alpha.) Pure.
 */

export interface TaskRates {
  p0: number;
  p1: number;
}

/** Shrunk parent rate (Krichevsky–Trofimov: (passes + ½)/(runs + 1)), so a record of 0/2 is not a certain 0. */
export function nullRate(parent: readonly number[]): number {
  return (parent.reduce((a, b) => a + b, 0) + 0.5) / (parent.length + 1);
}

/** The alternative: `minEffect` above p0, but at most halfway from p0 to 1. */
export const alternativeRate = (p0: number, minEffect: number): number => Math.min(p0 + minEffect, (1 + p0) / 2);

export function logLikelihoodRatio(s: number, r: TaskRates): number {
  return s * Math.log(r.p1 / r.p0) + (1 - s) * Math.log((1 - r.p1) / (1 - r.p0));
}
