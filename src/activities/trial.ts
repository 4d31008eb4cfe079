/**
 * runTrial activity: idempotent by deterministic trial id. A trial the store already holds (same harness,
 * task name and content, model and repeat — from this campaign or an earlier one) is returned without running and
 * flagged `cached` so the ledger does not charge it twice; a new one is run, heartbeating, and recorded
 * exactly once. Returns a small record: the trajectory stays on disk / in the artifact store. A systemic
 * model fault records nothing: it fails the activity (LlmUnavailableError, retried with backoff; or
 * LlmCredentialError / LlmConfigError, not retried: the campaign pauses), see ./faults.ts. A trial the
 * workflow cancels records nothing either and completes as cancelled, see ./cancellation.ts.
 */
import type { TrialResult } from '../trial/types';
import { objectiveOf } from '../verifier/reward';
import { Context, type Info } from '@temporalio/activity';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StoredTrial } from '../store/rows';
import type { CampaignStore } from '../store/store';
import { TRIAL_FILES, trialDirOf } from '../trial/artifacts';
import { trialIdFor } from '../trial/trial-id';
import { addUsage } from '../llm/usage';
import { withHeartbeat } from '../util/heartbeat';
import { screenTrial } from './judge-trial';
import type { TrialOutcome, TrialRequest } from '../workflows/types';
import { cancelledFailure, cancelRequested, stopsUnlessCancelled } from './cancellation';
import { CandidateHarnessError } from './errors';
import { faultInResult, llmFaultFailure } from './faults';
import { loadHarnessCached } from './harness-store';
import { harnessDirFor, sharedArtifacts, taskDirFor, workerHome } from '../store/references';
import { putFolderBundle } from '../artifacts/bundles';
import type { ActivityDeps } from './ports';
import { trialsDir } from '../campaign/layout';

/** A trial learns of its cancellation (its candidate decided) from a heartbeat's answer: beat often. */
const HEARTBEAT_EVERY_MS = 5_000;

async function readText(p: string | null): Promise<string | undefined> {
  if (!p) return undefined;
  return readFile(p, 'utf8').catch(() => undefined);
}

/** A stored artifact's text, or undefined (a missing artifact leaves the trial unscreened, not failed). */
async function storedText(store: CampaignStore, hash: string | null): Promise<string | undefined> {
  if (!hash) return undefined;
  return store.getArtifactText(hash).catch(() => undefined);
}

/**
 * A stored trial that an earlier attempt of THIS activity recorded (its worker died, or lost the server,
 * between storing and reporting): the workflow never received it, so it was never charged — return it as
 * run, not cached, or the ledger would miss it. Any other hit (another campaign, a rerun generation) was
 * charged when it was first reported. Times: the store's clock vs the server's first schedule time; a
 * trial takes far longer than any clock skew between workers.
 */
export function ranInEarlierAttempt(
  hit: Pick<StoredTrial, 'campaign' | 'candidateId' | 'createdAt'>,
  req: Pick<TrialRequest, 'campaign' | 'candidateId'>,
  info: Pick<Info, 'attempt' | 'scheduledTimestampMs'>,
): boolean {
  return (
    info.attempt > 1 &&
    hit.campaign === req.campaign &&
    hit.candidateId === req.candidateId &&
    Date.parse(hit.createdAt) >= info.scheduledTimestampMs
  );
}

const NOT_STORED = { campaign: '', candidateId: null, createdAt: '' } as const;

export function createRunTrial(deps: ActivityDeps, storeFor: (dir: string) => Promise<CampaignStore>) {
  return async function runTrial(req: TrialRequest): Promise<TrialOutcome> {
    const store = await storeFor(req.campaignDir);
    // Fetching a bundle can fail for the store's reasons (retried); only a harness that loads wrong is the candidate's.
    // A request from before harness ids names the folder, whose name is the id.
    const harnessId = req.harnessId ?? path.basename(req.harnessDir ?? '');
    const harnessDir = await harnessDirFor(store, req.campaignDir, harnessId, process.env, req.harnessDir);
    const harness = await loadHarnessCached(harnessDir).catch((err: Error) => {
      throw new CandidateHarnessError(err.message, harnessDir);
    });
    const task = { ...req.task, dir: await taskDirFor(store, req.task) };
    const model = harness.config.model;
    // The task's name is part of the key: a byte-identical task under another name (a holdout copy of a
    // train task) is another experiment and runs its own trials.
    const key = { harnessId: harness.id, task: req.task.name, taskHash: req.task.hash, model, repeat: req.repeat };
    const trialId = trialIdFor({ ...key, agentKey: harness.id, taskName: req.task.name });
    const small = (
      r: { trialId: string; reward: number; error: string | null; usage: TrialOutcome['usage'] },
      cached: boolean,
      tampering: string | null,
    ): TrialOutcome => ({
      trialId: r.trialId,
      task: req.task.name,
      repeat: req.repeat,
      reward: r.reward,
      error: r.error,
      usage: r.usage,
      cached,
      ...(tampering ? { tampering } : {}),
    });
    const ctx = Context.current();
    // A hit keeps its stored id (stores written before the name joined the id hold the older form).
    const hit = await store.findCachedTrial(key);
    // A stored trial is always reported, even when the workflow cancels meanwhile (see ./cancellation.ts).
    const screen = (id: string, reward: number, trajectoryText: string | undefined) =>
      screenTrial({
        store,
        campaign: req.campaign,
        trialId: id,
        candidateId: req.candidateId,
        task,
        repeat: req.repeat,
        reward,
        trajectoryText,
        signal: stopsUnlessCancelled(ctx),
        ...(deps.tamperJudge ? { judgeFor: deps.tamperJudge } : {}),
      });
    // Passing trials are screened for reward tampering, cached ones too (the screen is deterministic, a judge verdict stored).
    // The campaign's objective metric (reward.json key) is the trial's score; `reward` unless it names another.
    const scored = <T extends { result: TrialResult }>(r: T): T & { reward: number } => ({
      ...r,
      reward: objectiveOf(r.result, req.metric ?? 'reward'),
    });
    if (hit) {
      const scoredHit = scored(hit);
      return small(
        scoredHit,
        !ranInEarlierAttempt(hit, req, ctx.info),
        (await screen(hit.trialId, scoredHit.reward, await storedText(store, hit.trajectoryHash))).tampering,
      );
    }

    const beat = (detail: unknown): void => ctx.heartbeat(detail);
    const what = `trial ${req.task.name} #${req.repeat}`;
    return withHeartbeat(
      beat,
      { trialId, alive: true },
      async () => {
        const result = await deps
          .runTrial({
            trialId,
            task,
            harness,
            repeat: req.repeat,
            outDir: trialsDir(workerHome(req.campaignDir)),
            signal: ctx.cancellationSignal,
            heartbeat: beat,
          })
          .catch((err: unknown) => {
            // Cancelled by the workflow (its candidate is decided): the sandbox is gone, nothing is recorded.
            if (cancelRequested(ctx)) throw cancelledFailure(ctx, what);
            throw llmFaultFailure(err, { model, what }) ?? err;
          });
        const fault = faultInResult(result.error, { model, what });
        if (fault) throw fault;
        const trajectoryJson = await readText(result.trajectoryPath);
        const trialDir = result.trajectoryPath ? trialDirOf(result.trajectoryPath) : null;
        // Workers elsewhere (a shared artifact store): the folder's other files (build log, collected
        // artifacts, Harbor's records) go up as one bundle and the local folder goes, so each file of the
        // trial is stored once, where every machine reads it.
        const filesHash =
          trialDir && sharedArtifacts()
            ? await putFolderBundle(store.artifacts, trialDir, {
                exclude: [TRIAL_FILES.trajectory, TRIAL_FILES.verifierLog],
              })
            : null;
        const { inserted } = await store.recordTrial(result, {
          campaign: req.campaign,
          candidateId: req.candidateId,
          taskHash: req.task.hash,
          trajectoryJson,
          filesHash,
          // The full verifier log sits beside the trajectory (the result carries only a truncated copy).
          verifierLog:
            (await readText(trialDir && path.join(trialDir, TRIAL_FILES.verifierLog))) ?? result.verifier.output,
        });
        if (filesHash && trialDir) await rm(trialDir, { recursive: true, force: true });
        // Already recorded: by an earlier attempt of this activity that the server timed out while it still
        // ran (its report was refused, so it is ours and never charged), or by another run (charged there).
        const mine =
          inserted || ranInEarlierAttempt((await store.getTrial(result.trialId)) ?? NOT_STORED, req, ctx.info);
        const score = objectiveOf(result, req.metric ?? 'reward');
        const screened = await screen(result.trialId, score, trajectoryJson);
        return small(
          { ...result, reward: score, usage: addUsage(result.usage, screened.usage) },
          !mine,
          screened.tampering,
        );
      },
      HEARTBEAT_EVERY_MS,
    );
  };
}
