/**
 * prepareCampaign: turns `{configPath}` (a plain `temporal workflow start --input` works) or a ready plan
 * into a PreparedCampaign: plan validated, seed harness validated and copied into the campaign folder,
 * store opened, registered search attributes listed. Plan errors are non-retryable.
 */
import { validateHarness } from '../harness/load';
import type { PreparedCampaign, PrepareInput } from '../workflows/types';
import { InvalidCampaignPlanError } from './errors';
import { materializeHarness } from './harness-store';
import { withModel } from '../harness/model-override';
import { parsePlan } from './plan-schema';
import type { ActivityDeps } from './ports';
import type { CampaignStore } from '../store/store';
import { publishCampaignInputs, publishHarness, seedDirFor, workerHome } from '../store/references';

export function createPrepare(deps: ActivityDeps, storeFor: (dir: string) => Promise<CampaignStore>) {
  return async function prepareCampaign(input: PrepareInput): Promise<PreparedCampaign> {
    const source = 'configPath' in input ? input.configPath : 'workflow input';
    const parsed = parsePlan('configPath' in input ? await deps.loadPlan(input.configPath) : input.plan, source);
    const store = await storeFor(parsed.campaignDir);
    // A campaign.yaml read here: this worker publishes its inputs as `autoagent run` does, so the carried plan
    // holds references only (src/store/references.ts).
    const plan = 'configPath' in input ? (await publishCampaignInputs(store, parsed)).plan : parsed;
    const seedDir = await seedDirFor(store, plan);
    const seed = await validateHarness(seedDir);
    if (!seed.ok) throw new InvalidCampaignPlanError(`seed harness is invalid: ${seed.error}`, source, 'seedHarness');
    // campaign.yaml's explicit taskModel is the seed's model too: the baseline runs what the candidates will.
    const taskModel = plan.meta?.taskModel;
    const ref = await materializeHarness(
      workerHome(plan.campaignDir),
      taskModel ? withModel(seed.harness, taskModel) : seed.harness,
      seedDir,
    );
    await publishHarness(store, ref);
    const seedRef = { id: ref.id, complexity: ref.complexity };
    // The report splits trials into train / holdout and shows spend vs budget from this event.
    await store.appendEvent(plan.name, 'prepared', {
      seed: seedRef.id,
      train: plan.train.length,
      holdout: plan.holdout.length,
      trainTasks: plan.train.map((t) => t.name),
      holdoutTasks: plan.holdout.map((t) => t.name),
      budget: plan.budget,
      // Content hashes: the report points out tasks with identical content (each still runs its own trials).
      taskHashes: Object.fromEntries([...plan.train, ...plan.holdout].map((t) => [t.name, t.hash])),
      // The trial activity reads its reward-hacking judge settings from here (TrialRequest does not carry them).
      tamperingJudge: plan.meta?.judge ?? null,
      // The report ranks candidates as the campaign does (its "best" is the campaign's pick).
      objective: plan.objective ?? null,
    });
    const searchAttributes = deps.searchAttributes ? await deps.searchAttributes() : [];
    return { plan, seed: seedRef, searchAttributes };
  };
}
