/**
 * `autoagent export <campaign> --trials --out DIR`: every trial a campaign recorded, as a Harbor job folder
 * (DIR/{config.json, result.json, <trial>/{config.json, result.json, agent/trajectory.json, verifier/…}}),
 * read from the store alone — so it works on a finished campaign whose server is gone, and on trajectories
 * stored in older ATIF versions (read, normalised, written as v1.8). A task is located in the campaign's
 * benchmark folder when campaign.yaml is known and the task is still there; otherwise Harbor's task path is
 * the task's name, and its checksum is the content hash we recorded either way.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseTrajectory, writeTrajectory } from '../agent/atif/io';
import { jobContextFor, writeHarborJobConfig, writeHarborJobResult } from '../harbor/job-files';
import { hasReward, harborTrialConfig, harborTrialResult, type HarborTask } from '../harbor/trial-record';
import type { StoredTrial } from '../store/rows';
import type { CampaignStore } from '../store/store';
import { bundleCacheDir } from '../store/references';
import { fetchFolderBundle } from '../artifacts/bundles';
import { loadTask } from '../tasks/load';
import { TRIAL_FILES } from '../trial/artifacts';
import { assertEmptyOut } from './harness';

async function harborTaskFor(t: StoredTrial, benchmarkDir: string | null): Promise<HarborTask> {
  if (benchmarkDir) {
    const dir = path.join(benchmarkDir, t.task);
    const task = await loadTask(dir).catch(() => null);
    if (task)
      return { path: dir, checksum: t.taskHash, verifierMode: task.config.verifier.environmentMode ?? 'shared' };
  }
  return { path: t.task, checksum: t.taskHash, verifierMode: null };
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

async function writeTrial(store: CampaignStore, t: StoredTrial, dir: string, task: HarborTask): Promise<void> {
  const at = (rel: string): string => path.join(dir, rel);
  // A worker elsewhere stored the folder's other files (build log, collected artifacts) as one bundle.
  if (t.filesHash)
    await cp(await fetchFolderBundle(store.artifacts, t.filesHash, bundleCacheDir()), dir, { recursive: true });
  await mkdir(path.join(dir, 'verifier'), { recursive: true });
  const r = t.result;
  if (t.trajectoryHash) {
    const source = `${store.file}: trajectory of trial ${t.trialId}`;
    await writeTrajectory(
      at(TRIAL_FILES.trajectory),
      parseTrajectory(JSON.parse(await store.getArtifactText(t.trajectoryHash)) as unknown, source),
    );
  }
  await writeFile(
    at(TRIAL_FILES.verifierLog),
    t.verifierLogHash ? await store.getArtifactText(t.verifierLogHash) : r.verifier.output,
    'utf8',
  );
  if (hasReward(r)) await writeFile(at(TRIAL_FILES.reward), `${r.verifier.reward}\n`, 'utf8');
  if (r.failure) await writeFile(at(TRIAL_FILES.exception), `${r.failure.type}: ${r.failure.message}\n`, 'utf8');
  const ctx = { task, trialDir: dir, trialsDir: path.dirname(dir) };
  await writeFile(at(TRIAL_FILES.harborConfig), json(harborTrialConfig(r, ctx)), 'utf8');
  await writeFile(at(TRIAL_FILES.harborResult), json(harborTrialResult(r, ctx)), 'utf8');
  await writeFile(
    at(TRIAL_FILES.record),
    json({ ...r, trajectoryPath: t.trajectoryHash ? at(TRIAL_FILES.trajectory) : null }),
    'utf8',
  );
}

export async function exportTrials(o: {
  store: CampaignStore;
  campaign: string;
  outDir: string;
  benchmarkDir: string | null;
  concurrency?: number;
}): Promise<{ trials: number }> {
  assertEmptyOut(o.outDir);
  const trials = await o.store.listTrials(o.campaign);
  const tasks = new Map<string, HarborTask>();
  for (const t of trials) if (!tasks.has(t.task)) tasks.set(t.task, await harborTaskFor(t, o.benchmarkDir));
  const agents = [
    ...new Map(trials.map((t) => [`${t.result.agent}|${t.model}`, { kind: t.result.agent, model: t.model }])).values(),
  ];
  const startedAt = trials.map((t) => t.createdAt).sort()[0] ?? new Date().toISOString();
  const job = jobContextFor(o.outDir, {
    taskPaths: [...tasks.values()].map((t) => t.path),
    agents,
    repeats: Math.max(1, ...trials.map((t) => t.repeat + 1)),
    concurrency: o.concurrency ?? 1,
    startedAt,
    finishedAt:
      trials
        .map((t) => t.createdAt)
        .sort()
        .at(-1) ?? startedAt,
  });
  await writeHarborJobConfig(o.outDir, job);
  for (const t of trials) await writeTrial(o.store, t, path.join(o.outDir, t.trialId), tasks.get(t.task) as HarborTask);
  await writeHarborJobResult(
    o.outDir,
    job,
    trials.map((t) => t.result),
    trials.length,
  );
  return { trials: trials.length };
}
