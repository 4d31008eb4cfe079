/** Evaluation policies (pure; safe in workflow code). `policyFor(spec.policy)` picks one. */
import { fullPolicy } from './full';
import { minibatchPolicy } from './minibatch';
import type { EvaluationPolicy, EvaluationPolicyName } from './policy';
import { racingPolicy } from './racing';

export * from './policy';
export { fullPolicy } from './full';
export { minibatchPolicy, minibatchTasks } from './minibatch';
export { racingPolicy, racingOrder } from './racing';
export { mixtureBoundary, meanBounds } from './confidence-sequence';
export { nullRate, alternativeRate, logLikelihoodRatio } from './bernoulli-sprt';

const POLICIES: Record<EvaluationPolicyName, EvaluationPolicy> = {
  full: fullPolicy,
  minibatch: minibatchPolicy,
  racing: racingPolicy,
};

export const policyFor = (name: EvaluationPolicyName): EvaluationPolicy => POLICIES[name];
