/**
 * A campaign's status from its store alone, for when no server is running it (finished, or interrupted
 * and not yet resumed). The numbers are the report's (src/report: the campaign's pick of the best, its
 * holdout score, the seed's, spend), so `status`, `status --json` and `report` agree; the human text
 * prints exactly the numbers the JSON carries (rounded to 3 decimals, dollars to 4).
 */
import { buildReportData } from '../../report/data';
import { campaignStoreExists, openStore } from '../../store/store';
import { isTamperingVerdict } from '../../workflows/tampering';
import type { FlaggedCandidate } from '../../workflows/types';
import { bestHarness, bestHarnessLines, type BestHarness } from './best-harness';
import { flaggedLines } from './progress';

export interface OfflineStatus {
  running: false;
  name: string;
  campaignDir: string;
  phase: string;
  stopReason: string | null;
  trials: number;
  costUsd: number;
  bestTrainScore: number | null;
  bestHoldoutScore: number | null;
  /** bestTrainScore − bestHoldoutScore. */
  gap: number | null;
  bestCandidateId: string | null;
  seedCandidateId: string | null;
  seedTrainScore: number | null;
  seedHoldoutScore: number | null;
  bestHarness: BestHarness | null;
  candidates: { evaluated: number; rejected: number; invalid: number };
  /** Candidates rejected for reward tampering, oldest first, with the reason. */
  flagged: FlaggedCandidate[];
  lastEvent: string | null;
  text: string;
}

const score = (s: number | null): string => (s === null ? '-' : s.toFixed(3));

/** `arg` is how the user named the campaign (it goes into the export command status suggests). */
export async function statusFromStore(
  campaignDir: string,
  name: string,
  arg: string = campaignDir,
): Promise<OfflineStatus> {
  const base = {
    running: false as const,
    name,
    campaignDir,
    phase: 'not started',
    stopReason: null,
    trials: 0,
    costUsd: 0,
    bestTrainScore: null,
    bestHoldoutScore: null,
    gap: null,
    bestCandidateId: null,
    seedCandidateId: null,
    seedTrainScore: null,
    seedHoldoutScore: null,
    bestHarness: null,
    candidates: { evaluated: 0, rejected: 0, invalid: 0 },
    flagged: [],
    lastEvent: null,
  };
  if (!campaignStoreExists(campaignDir)) {
    return { ...base, text: `campaign ${name}: not started (no store in ${campaignDir})` };
  }
  const store = await openStore(campaignDir);
  try {
    if (!(await store.listCampaigns()).includes(name))
      return { ...base, text: `campaign ${name}: not started (nothing recorded in ${store.file})` };
    const data = await buildReportData(store, { campaign: name });
    const s = data.summary;
    const [candidates, events] = await Promise.all([store.listCandidates(name), store.listEvents(name)]);
    const status: Omit<OfflineStatus, 'text'> = {
      ...base,
      phase: s.phase,
      stopReason: s.stopReason,
      trials: s.trialsDone,
      costUsd: s.spendUsd,
      bestTrainScore: s.bestTrain,
      bestHoldoutScore: s.bestHoldout,
      gap: s.gap,
      bestCandidateId: s.bestId,
      seedCandidateId: s.seedId,
      seedTrainScore: s.seedTrain,
      seedHoldoutScore: s.seedHoldout,
      bestHarness: bestHarness(arg, campaignDir, s.bestId),
      candidates: { evaluated: s.counts.evaluated, rejected: s.counts.rejected, invalid: s.counts.invalid },
      flagged: candidates
        .filter((c) => isTamperingVerdict(c.verdict))
        .map((c) => ({ candidateId: c.id, generation: c.generation, reason: c.verdict })),
      lastEvent: events.at(-1)?.kind ?? null,
    };
    const state =
      status.lastEvent === 'completed'
        ? `finished${s.stopReason ? `: ${s.stopReason}` : ''}; \`autoagent report ${campaignDir}\` shows it all`
        : 'not running here; `autoagent run <campaign.yaml>` resumes it';
    const text = [
      `campaign     ${name} (${state})`,
      `best train   ${score(status.bestTrainScore)}  (${status.bestCandidateId ?? '-'})`,
      `best holdout ${score(status.bestHoldoutScore)}${status.gap === null ? '' : `  (gap ${score(status.gap)})`}`,
      `seed         train ${score(status.seedTrainScore)}, holdout ${score(status.seedHoldoutScore)}  (${status.seedCandidateId ?? '-'})`,
      `trials       ${status.trials} recorded`,
      `spend        $${status.costUsd.toFixed(4)}`,
      `candidates   ${status.candidates.evaluated} accepted, ${status.candidates.rejected} rejected, ${status.candidates.invalid} invalid`,
      `last event   ${status.lastEvent ?? '-'}`,
      ...bestHarnessLines(status.bestHarness),
      ...faultLines(events.at(-1)),
      ...flaggedLines(status.flagged),
    ].join('\n');
    return { ...status, text };
  } finally {
    await store.close();
  }
}

/** A generation that failed on a systemic model fault (a rejected key, an outage) says so, with the reason. */
function faultLines(last: { kind: string; data: unknown } | undefined): string[] {
  if (last?.kind !== 'generation-failed') return [];
  const d = last.data as { fault?: unknown; error?: unknown } | null;
  if (typeof d?.fault !== 'string' || typeof d.error !== 'string') return [];
  return [`stopped on   ${d.fault} fault: ${d.error}`];
}
