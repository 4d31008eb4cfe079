/**
 * What each child of a campaign is started with: the baseline and holdout EvaluationWorkflows and each
 * GenerationWorkflow. Pure builders over the carried state (workflow code, unit-tested), so the campaign
 * loop says which child runs and these say with what.
 */
import { findCandidate } from '../search/state';
import { harnessRef } from './campaign-state';
import { generationEvaluation } from './policies';
import type { CampaignCarry, CampaignPlan, EvaluationInput, GenerationInput, HarnessRef, MergeRequest } from './types';

/** Only a campaign that names another metric says so: default inputs stay as they were. */
const metricOf = (plan: CampaignPlan): { metric?: string } => (plan.metric ? { metric: plan.metric } : {});

/** The seed on the train tasks (generation 0). */
export function baselineArgs(c: CampaignCarry): EvaluationInput & { paused: boolean } {
  const { plan } = c.prepared;
  return {
    campaign: plan.name,
    campaignDir: plan.campaignDir,
    candidates: [c.prepared.seed],
    tasks: plan.train,
    repeats: plan.repeats,
    window: plan.concurrency,
    runtime: plan.runtime,
    paused: c.paused,
    ...metricOf(plan),
  };
}

/** The final pick (and the seed beside it) on the holdout tasks. */
export function holdoutArgs(c: CampaignCarry, picks: readonly HarnessRef[]): EvaluationInput {
  const { plan } = c.prepared;
  return {
    campaign: plan.name,
    campaignDir: plan.campaignDir,
    candidates: [...picks],
    tasks: plan.holdout,
    repeats: plan.holdoutRepeats,
    window: plan.concurrency,
    runtime: plan.runtime,
    ...metricOf(plan),
  };
}

/** Harness references of a generation's parents (by id, as selection and merge planning chose them). */
export const parentRefs = (c: CampaignCarry, parentIds: readonly string[]): HarnessRef[] =>
  parentIds.map((id) => harnessRef(c, findCandidate(c.search, id) ?? { id, complexity: 0 }));

/** Generation `generation`, attempt `attemptLabel` (gen-<n> or gen-<n>-retry-<m>). */
export function generationArgs(
  c: CampaignCarry,
  generation: number,
  attemptLabel: string,
  parents: HarnessRef[],
  merges: (MergeRequest | null)[] | undefined,
): GenerationInput {
  const { plan } = c.prepared;
  return {
    campaign: plan.name,
    campaignDir: plan.campaignDir,
    generation,
    attemptLabel,
    parents,
    knownIds: c.search.candidates.map((x) => x.id),
    hints: [...c.hints],
    train: plan.train,
    repeats: plan.repeats,
    window: plan.concurrency,
    paused: c.paused,
    runtime: plan.runtime,
    ...metricOf(plan),
    holdoutTasks: plan.holdout.map((t) => t.name),
    meta: plan.meta ?? null,
    ...(merges ? { merges } : {}),
    ...generationEvaluation(plan, c.search, parents),
  };
}
