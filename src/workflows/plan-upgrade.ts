/**
 * Plans written before the plan took campaign.yaml's own names (k, window, rngSeed, seedHarnessDir,
 * stop.{maxGenerations,targetScore,plateau}, acceptance.kind 'noise') are still in Temporal histories, in
 * prepared results and in continue-as-new carries. This pure mapping reads them as today's plan, so those
 * campaigns replay the same commands and resume. Workflow code (no I/O); a plan already current is returned
 * unchanged.
 */
import type { AcceptancePlan, CampaignCarry, CampaignPlan, PreparedCampaign } from './types';

/** The names a plan had before; every other field kept its name. */
interface LegacyPlanFields {
  seedHarnessDir?: string;
  k?: number;
  window?: number;
  rngSeed?: number;
  stop?: { maxGenerations?: number; targetScore?: number; plateau?: number };
  acceptance?: Omit<AcceptancePlan, 'mode'> & { kind?: 'noise' | 'greedy'; mode?: AcceptancePlan['mode'] };
}

export type StoredPlan =
  | CampaignPlan
  | (Omit<CampaignPlan, 'seedHarness' | 'proposalsPerGeneration' | 'concurrency' | 'seed' | 'acceptance'> &
      LegacyPlanFields);

const isLegacy = (plan: StoredPlan): plan is Exclude<StoredPlan, CampaignPlan> =>
  'k' in plan ||
  'window' in plan ||
  'rngSeed' in plan ||
  'seedHarnessDir' in plan ||
  'stop' in plan ||
  'kind' in (plan.acceptance ?? {});

/** Only the fields a plan had: an absent optional stays absent (a plan's JSON never carries `undefined`). */
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function upgradePlan(plan: StoredPlan): CampaignPlan {
  if (!isLegacy(plan)) return plan;
  const { seedHarnessDir, k, window, rngSeed, stop, acceptance, ...rest } = plan as Exclude<StoredPlan, CampaignPlan> &
    Partial<CampaignPlan>;
  const { kind, ...keptAcceptance }: NonNullable<LegacyPlanFields['acceptance']> = acceptance ?? {};
  // Renamed, never invented: a field the old plan lacked stays absent, so the plan's schema still names it.
  return defined({
    ...rest,
    seedHarness: seedHarnessDir ?? rest.seedHarness,
    proposalsPerGeneration: k ?? rest.proposalsPerGeneration,
    concurrency: window ?? rest.concurrency,
    seed: rngSeed ?? rest.seed,
    acceptance: acceptance && {
      ...keptAcceptance,
      mode: keptAcceptance.mode ?? (kind === 'greedy' ? 'greedy' : 'paired-test'),
    },
    generations: stop?.maxGenerations ?? rest.generations,
    targetScore: stop?.targetScore ?? rest.targetScore,
    plateauGenerations: stop?.plateau ?? rest.plateauGenerations,
  }) as CampaignPlan;
}

export const upgradePrepared = (p: PreparedCampaign): PreparedCampaign => ({
  ...p,
  plan: upgradePlan(p.plan as StoredPlan),
});

export const upgradeCarry = (c: CampaignCarry): CampaignCarry => ({ ...c, prepared: upgradePrepared(c.prepared) });
