/**
 * Reads what the meta-agent may see from a campaign store: the experiment log (every candidate of the
 * campaign with its diff, rationale, verdict, per-task rewards, cost) and the parent's trials on TRAIN
 * tasks only. Holdout names are filtered out of both here, and the workspace builder refuses any holdout
 * trial again (defence in depth: a leak would silently invalidate the holdout score).
 */
import { readFile } from 'node:fs/promises';
import type { CampaignStore } from '../store/store';
import type { StoredCandidate, StoredTrial } from '../store/rows';
import type { ExperimentRecord, MetaTrial } from './schema';

const NO_TRAJECTORY = JSON.stringify({ note: 'no trajectory was recorded for this trial' });

const clamp01 = (x: number): number => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));

async function artifactText(store: CampaignStore, hash: string | null): Promise<string | null> {
  if (!hash) return null;
  // A missing artifact hides one detail, it must not sink the proposal.
  return store.getArtifactText(hash).catch(() => null);
}

/** Per train task, what went wrong in the candidate's failed trials (tampering, storage limit, ...), deduplicated. */
function trialFailuresOf(trials: StoredTrial[], holdout: Set<string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of trials) {
    if (holdout.has(t.task) || !t.result.error) continue;
    const list = (out[t.task] ??= []);
    if (!list.includes(t.result.error)) list.push(t.result.error);
  }
  return out;
}

async function experimentOf(
  store: CampaignStore,
  c: StoredCandidate,
  trials: StoredTrial[],
  holdout: Set<string>,
): Promise<ExperimentRecord> {
  const taskRewards = Object.fromEntries(
    Object.entries(c.taskRewards)
      .filter(([task]) => !holdout.has(task))
      .map(([task, rs]) => [task, rs.map(clamp01)]),
  );
  return {
    id: c.id,
    parentId: c.parentId,
    ...(c.secondParentId ? { secondParentId: c.secondParentId } : {}),
    generation: c.generation,
    status: c.status,
    trainScore: c.status === 'invalid' ? null : clamp01(c.meanReward),
    taskRewards,
    trialFailures: trialFailuresOf(trials, holdout),
    costUsd: Math.max(0, c.costUsd),
    verdict: c.verdict,
    rationale: c.rationale,
    diff: (await artifactText(store, c.diffHash)) ?? '',
  };
}

/** Every candidate of the campaign, oldest first (the store's order). */
export async function readExperiments(
  store: CampaignStore,
  campaign: string,
  holdoutTasks: string[],
): Promise<ExperimentRecord[]> {
  const holdout = new Set(holdoutTasks);
  const [candidates, trials] = await Promise.all([store.listCandidates(campaign), store.listTrials(campaign)]);
  const byCandidate = new Map<string, StoredTrial[]>();
  for (const t of trials) {
    if (t.candidateId === null) continue;
    const list = byCandidate.get(t.candidateId);
    if (list) list.push(t);
    else byCandidate.set(t.candidateId, [t]);
  }
  return Promise.all(candidates.map((c) => experimentOf(store, c, byCandidate.get(c.id) ?? [], holdout)));
}

async function trajectoryOf(store: CampaignStore, t: StoredTrial): Promise<string> {
  const stored = await artifactText(store, t.trajectoryHash);
  if (stored !== null) return stored;
  if (t.result.trajectoryPath) {
    const onDisk = await readFile(t.result.trajectoryPath, 'utf8').catch(() => null);
    if (onDisk !== null) return onDisk;
  }
  return NO_TRAJECTORY;
}

/** The trial as the meta-agent sees it: its result.json without host paths, the verifier log, the trajectory. */
async function metaTrialOf(store: CampaignStore, t: StoredTrial): Promise<MetaTrial> {
  const { trajectoryPath: _hostPath, ...result } = t.result;
  return {
    task: t.task,
    repeat: t.repeat,
    result,
    trajectoryJson: await trajectoryOf(store, t),
    verifierLog: (await artifactText(store, t.verifierLogHash)) ?? t.result.verifier.output,
  };
}

/**
 * The parent's trials on the given train tasks, one per (task, repeat) — the latest if a repeat was
 * recorded twice — sorted by task then repeat. Trials of any other task (holdout included) are dropped.
 */
export async function readParentTrials(
  store: CampaignStore,
  opts: { campaign: string; parentId: string; trainTasks: string[]; holdoutTasks: string[] },
): Promise<MetaTrial[]> {
  const holdout = new Set(opts.holdoutTasks);
  const train = new Set(opts.trainTasks.filter((t) => !holdout.has(t)));
  const latest = new Map<string, StoredTrial>();
  for (const t of await store.listTrials(opts.campaign, { candidateId: opts.parentId })) {
    if (train.has(t.task)) latest.set(`${t.task}\0${t.repeat}`, t); // listTrials is oldest first
  }
  const picked = [...latest.values()].sort((a, b) => a.task.localeCompare(b.task) || a.repeat - b.repeat);
  return Promise.all(picked.map((t) => metaTrialOf(store, t)));
}
