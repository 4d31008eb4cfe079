/**
 * The workflow's view of the evaluation-policy seam (src/search/evaluation): which policy a campaign's
 * `evaluation` names, and what a candidate's policy is given. Types only from ../search/evaluation/policy
 * (it holds the zod schema, which workflow code has no use for).
 */
import { deriveSeed } from '../search/rng';
import { fullPolicy } from '../search/evaluation/full';
import { minibatchPolicy } from '../search/evaluation/minibatch';
import { racingPolicy } from '../search/evaluation/racing';
import type { EvaluationPolicy, EvaluationPolicyName, PolicyInput } from '../search/evaluation/policy';
import type { EvaluationPolicyPlan, TaskRef } from './types';

/** Marks the branch where candidates are evaluated by their policy (and decided ones cancelled). */
export const EVALUATION_POLICIES_PATCH = 'evaluation-policies';

const POLICIES: Record<EvaluationPolicyName, EvaluationPolicy> = { full: fullPolicy, minibatch: minibatchPolicy, racing: racingPolicy };

export const policyNamed = (name: EvaluationPolicyName): EvaluationPolicy => POLICIES[name];

/** True when the plan asks for anything but the full schedule (so the workflow's commands may change). */
export const usesPolicy = (plan: EvaluationPolicyPlan | undefined): plan is EvaluationPolicyPlan =>
  plan !== undefined && plan.spec.policy !== 'full';

/** One candidate's policy input: its parent's recorded rewards (none: the full schedule) and its own seed. */
export function policyInputFor(plan: EvaluationPolicyPlan, candidateId: string, tasks: readonly TaskRef[], repeats: number): PolicyInput {
  return {
    tasks: tasks.map((t) => t.name), repeats, parentScores: plan.parentScores[candidateId] ?? {},
    seed: deriveSeed(plan.seed, 'evaluation', candidateId), spec: plan.spec,
  };
}
