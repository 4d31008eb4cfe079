/**
 * Report data extraction: `readSnapshot` reads one campaign's records from the store (the only I/O), and
 * `extractReportData` turns a snapshot into the JSON blob the client renders (pure, unit-tested).
 * Train vs holdout: a task is train if any candidate was scored on it (or the `prepared` event lists it);
 * trials of other tasks are holdout — the campaign only ever runs holdout tasks in its final evaluation.
 */
import path from 'node:path';
import { totalTokens } from '../llm/usage';
import type { StoredCandidate, StoredEvent, StoredProposal, StoredTrial } from '../store/rows';
import type { CampaignStore } from '../store/store';
import { candidateViews, heatCells } from './candidates';
import { ReportError } from './errors';
import { paretoPoints } from './pareto';
import { preparedEvent, summarize, timeSeries } from './summary';
import type { ReportData, TrialIndexRow } from './types';

export interface StoreSnapshot {
  campaign: string;
  candidates: StoredCandidate[];
  trials: StoredTrial[];
  proposals: StoredProposal[];
  events: StoredEvent[];
  /** Candidate id → unified diff against its parent. */
  diffs: Record<string, string>;
}

const RECENT_EVENTS = 50;

/**
 * The campaign to report: the requested one, else the store's only one, else (a shared store holds many)
 * the one its campaign folder is named after (`.autoagent/<name>/`).
 */
export async function resolveCampaign(store: CampaignStore, requested?: string): Promise<string> {
  const names = await store.listCampaigns();
  const folderName = path.basename(store.dir);
  if (requested === undefined && names.length > 1 && names.includes(folderName)) return folderName;
  if (requested !== undefined) {
    if (!names.includes(requested))
      throw new ReportError(
        `no campaign "${requested}" in this store (has: ${names.join(', ') || 'none'})`,
        store.file,
        'campaign',
      );
    return requested;
  }
  const [only, ...rest] = names;
  if (only === undefined) throw new ReportError('the store holds no campaign records yet', store.file, 'campaign');
  if (rest.length > 0)
    throw new ReportError(
      `the store holds several campaigns (${names.join(', ')}); pass --campaign`,
      store.file,
      'campaign',
    );
  return only;
}

export async function readSnapshot(store: CampaignStore, campaign: string): Promise<StoreSnapshot> {
  const [candidates, trials, proposals, events] = await Promise.all([
    store.listCandidates(campaign),
    store.listTrials(campaign),
    store.listProposals(campaign),
    store.listEvents(campaign),
  ]);
  const diffs: Record<string, string> = {};
  await Promise.all(
    candidates.map(async (c) => {
      if (c.diffHash === null) return;
      // A missing diff artifact only costs the diff view, not the report.
      const text = await store.getArtifactText(c.diffHash).catch(() => null);
      if (text !== null) diffs[c.id] = text;
    }),
  );
  return { campaign, candidates, trials, proposals, events, diffs };
}

/** Groups (≥ 2 names, sorted) of the campaign's tasks whose content hashes are equal. */
function identicalTasks(snap: StoreSnapshot): string[][] {
  const hashes = new Map<string, string>(Object.entries(preparedEvent(snap.events).taskHashes ?? {}));
  for (const t of snap.trials) if (!hashes.has(t.task)) hashes.set(t.task, t.taskHash);
  const byHash = new Map<string, string[]>();
  for (const [task, hash] of hashes) byHash.set(hash, [...(byHash.get(hash) ?? []), task]);
  return [...byHash.values()]
    .filter((g) => g.length > 1)
    .map((g) => g.sort())
    .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

function splitTasks(snap: StoreSnapshot): { train: string[]; holdout: string[] } {
  const prepared = preparedEvent(snap.events);
  const train = new Set(prepared.trainTasks ?? []);
  for (const c of snap.candidates) for (const task of Object.keys(c.taskRewards)) train.add(task);
  const holdout = new Set(prepared.holdoutTasks ?? []);
  // Before the seed is scored no train task is known yet: everything running is the baseline on train.
  for (const t of snap.trials)
    if (!train.has(t.task) && !holdout.has(t.task)) (train.size > 0 ? holdout : train).add(t.task);
  return { train: [...train].sort(), holdout: [...holdout].filter((t) => !train.has(t)).sort() };
}

const multiMetric = (r: Record<string, number> | undefined): r is Record<string, number> =>
  r !== undefined && Object.keys(r).some((k) => k !== 'reward');

function trialRow(t: StoredTrial, holdout: ReadonlySet<string>): TrialIndexRow {
  return {
    id: t.trialId,
    candidateId: t.candidateId,
    task: t.task,
    split: holdout.has(t.task) ? 'holdout' : 'train',
    repeat: t.repeat,
    reward: t.reward,
    error: t.error,
    stopReason: t.result.stopReason,
    turns: t.result.turns,
    costUsd: t.usage.costUsd,
    tokens: totalTokens(t.usage),
    durationMs: t.result.timings.totalMs,
    createdAt: t.createdAt,
    hasTrajectory: t.trajectoryHash !== null,
    ...(multiMetric(t.result.verifier.rewards) ? { metrics: t.result.verifier.rewards } : {}),
  };
}

function versionOf(snap: StoreSnapshot): string {
  const lastUpdate = snap.candidates.reduce((m, c) => (c.updatedAt > m ? c.updatedAt : m), '');
  const lastEvent = snap.events[snap.events.length - 1]?.id ?? 0;
  return [snap.trials.length, snap.candidates.length, lastUpdate, lastEvent, snap.proposals.length].join(':');
}

export function extractReportData(snap: StoreSnapshot, opts: { now: Date; status?: unknown }): ReportData {
  const tasks = { ...splitTasks(snap), identical: identicalTasks(snap) };
  const holdout = new Set(tasks.holdout);
  const trials = snap.trials.map((t) => trialRow(t, holdout));
  const views = candidateViews({ stored: snap.candidates, proposals: snap.proposals, trials, diffs: snap.diffs });
  return {
    campaign: snap.campaign,
    generatedAt: opts.now.toISOString(),
    version: versionOf(snap),
    summary: summarize({ stored: snap.candidates, views, trials, proposals: snap.proposals, events: snap.events }),
    status: opts.status ?? null,
    tasks,
    candidates: views,
    pareto: paretoPoints(views, trials),
    heat: heatCells(views, snap.candidates, trials),
    trials,
    time: timeSeries(trials, snap.proposals),
    events: snap.events
      .slice(-RECENT_EVENTS)
      .map((e) => ({ id: e.id, kind: e.kind, createdAt: e.createdAt, data: e.data })),
  };
}

/** Reads the store and extracts the report data for one campaign (the requested one or the only one). */
export async function buildReportData(
  store: CampaignStore,
  opts: { campaign?: string; status?: unknown; now?: Date } = {},
): Promise<ReportData> {
  const snap = await readSnapshot(store, await resolveCampaign(store, opts.campaign));
  return extractReportData(snap, { now: opts.now ?? new Date(), status: opts.status });
}
