/**
 * Check before start: everything about a campaign that can be known on the client is checked before any
 * workflow starts, any server is started or anything is recorded — campaign.yaml, every task of the
 * benchmark (each loaded), the train/holdout split (unknown names, duplicates, overlap), the plan, the seed
 * harness, and the credentials of every model the campaign will call. A problem throws a typed error
 * naming the file and field (exit 2). The same plan loader the prepare activity uses does the work, so the
 * client and the workflow can never disagree about what is valid; campaign.yaml is read once, by the caller.
 */
import { resolveCampaignPlan } from '../../activities/plan-from-config';
import { parsePlan } from '../../activities/plan-schema';
import type { CampaignConfig } from '../../campaign/config';
import type { Harness } from '../../harness/schema';
import type { CampaignPlan, TaskRef } from '../../workflows/types';
import { assertCredentials, harnessModels, LOCAL_CAMPAIGN_HINT, type ModelUse } from '../credentials';

export interface PreflightResult {
  plan: CampaignPlan;
  seed: Harness;
  /** Models the campaign will call, and where each is named. */
  models: ModelUse[];
  /** Not errors, but worth saying: harness warnings, tasks with identical content. */
  warnings: string[];
}

/** Groups of task names (≥ 2) whose content hashes are equal: the report and `run` point them out. */
function identicalTasks(tasks: readonly Pick<TaskRef, 'name' | 'hash'>[]): string[][] {
  const byHash = new Map<string, string[]>();
  for (const t of tasks) byHash.set(t.hash, [...(byHash.get(t.hash) ?? []), t.name]);
  return [...byHash.values()].filter((names) => names.length > 1).map((names) => [...names].sort());
}

/**
 * Validates the whole campaign. `credentials: false` skips the key check (a client of a shared server: the
 * workers, not this process, call the models — their environment is what counts).
 */
export async function preflightCampaign(
  config: CampaignConfig,
  opts: { credentials: boolean; env?: NodeJS.ProcessEnv; warn?: (warning: string) => void },
): Promise<PreflightResult> {
  const resolved = await resolveCampaignPlan(config);
  // The plan's own boundary check, here too: a plan the workflow would refuse fails before anything starts.
  const plan = parsePlan(resolved.plan, config.file);
  const { seed } = resolved;
  const [seedModel, ...agentModels] = harnessModels(seed);
  // The task model: campaign.yaml's explicit taskModel, else the seed harness's; the meta model defaults to it.
  const taskModel: ModelUse =
    config.taskModel !== null ? { model: config.taskModel, where: `${config.file}: taskModel` } : seedModel!;
  const models: ModelUse[] = [
    taskModel,
    ...agentModels,
    config.metaModel !== null && config.metaModel !== taskModel.model
      ? { model: config.metaModel, where: `${config.file}: metaModel` }
      : { model: taskModel.model, where: `${taskModel.where} (metaModel defaults to the task model)` },
    ...(plan.meta?.judge ? [{ model: plan.meta.judge.model, where: `${config.file}: tamperingJudge` }] : []),
  ];
  const warnings = seed.warnings.map((w) => `${seed.dir}/${w}`);
  for (const group of identicalTasks([...plan.train, ...plan.holdout])) {
    warnings.push(`${config.file}: tasks ${group.join(', ')} have identical content; each still runs its own trials`);
  }
  // Said before a credential problem stops the run: the user fixes everything in one go.
  for (const w of warnings) opts.warn?.(w);
  if (opts.credentials) assertCredentials(models, { env: opts.env, hint: LOCAL_CAMPAIGN_HINT });
  return { plan, seed, models, warnings };
}
