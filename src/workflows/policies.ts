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
import { findCandidate } from '../search/state';
import type { SearchState } from '../search/types';
import type {
  CampaignPlan,
  CandidateEvaluation,
  EvaluationPolicyPlan,
  GenerationInput,
  HarnessRef,
  ProposalOutcome,
  TaskRef,
} from './types';

/** Marks the branch where candidates are evaluated by their policy (and decided ones cancelled). */
export const EVALUATION_POLICIES_PATCH = 'evaluation-policies';

const POLICIES: Record<EvaluationPolicyName, EvaluationPolicy> = {
  full: fullPolicy,
  minibatch: minibatchPolicy,
  racing: racingPolicy,
};

export const policyNamed = (name: EvaluationPolicyName): EvaluationPolicy => POLICIES[name];

/** True when the plan asks for anything but the full schedule (so the workflow's commands may change). */
export const usesPolicy = (plan: EvaluationPolicyPlan | undefined): plan is EvaluationPolicyPlan =>
  plan !== undefined && plan.spec.policy !== 'full';

/** One candidate's policy input: its parent's recorded rewards (none: the full schedule) and its own seed. */
export function policyInputFor(
  plan: EvaluationPolicyPlan,
  candidateId: string,
  tasks: readonly TaskRef[],
  repeats: number,
): PolicyInput {
  return {
    tasks: tasks.map((t) => t.name),
    repeats,
    parentScores: plan.parentScores[candidateId] ?? {},
    seed: deriveSeed(plan.seed, 'evaluation', candidateId),
    spec: plan.spec,
  };
}

/** A generation's policy plan: each new child gets its own parent's rewards (absent: no policy, or `full`). */
export function generationPolicy(
  input: GenerationInput,
  proposals: readonly ProposalOutcome[],
): { policy?: EvaluationPolicyPlan } {
  const ev = input.evaluation;
  if (!ev || ev.spec.policy === 'full') return {};
  const parentScores: Record<string, Record<string, number[]>> = {};
  for (const p of proposals) {
    const scores = ev.parentScores[p.parentId];
    if (p.status === 'valid' && scores && parentScores[p.candidate.id] === undefined)
      parentScores[p.candidate.id] = scores;
  }
  return { policy: { spec: ev.spec, seed: ev.seed, parentScores } };
}

/** What a GenerationWorkflow is told of the campaign's policy: nothing for `full` (its input stays as before). */
export function generationEvaluation(
  plan: CampaignPlan,
  search: SearchState,
  parents: readonly HarnessRef[],
): Pick<GenerationInput, 'evaluation'> {
  if (!plan.evaluation || plan.evaluation.policy === 'full') return {};
  const parentScores: Record<string, Record<string, number[]>> = {};
  for (const p of parents) parentScores[p.id] ??= findCandidate(search, p.id)?.taskRewards ?? {};
  return { evaluation: { spec: plan.evaluation, seed: plan.seed, parentScores } };
}

/** A record's verdict: the reason, plus what the policy saved when it cancelled trials. */
export function verdictWithSavings(reason: string, ev: Pick<CandidateEvaluation, 'cancelled'>): string {
  const c = ev.cancelled;
  if (!c || c.started + c.unstarted === 0) return reason;
  return `${reason}; ${c.started + c.unstarted} trials not needed (${c.started} cancelled, ${c.unstarted} never started)`;
}
