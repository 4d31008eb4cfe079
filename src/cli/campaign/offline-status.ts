/**
 * A campaign's status from its store alone, for when no server is running it (finished, or interrupted
 * and not yet resumed). Same numbers a user looks for first: best score, trials, spend, candidates.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openStore, STORE_FILE } from '../../store/store';
import { isTamperingVerdict } from '../../workflows/tampering';
import type { FlaggedCandidate } from '../../workflows/types';
import { flaggedLines } from './progress';

export interface OfflineStatus {
  running: false;
  name: string;
  campaignDir: string;
  trials: number;
  costUsd: number;
  bestTrainScore: number | null;
  bestCandidateId: string | null;
  candidates: { evaluated: number; rejected: number; invalid: number };
  /** Candidates rejected for reward tampering, oldest first, with the reason. */
  flagged: FlaggedCandidate[];
  lastEvent: string | null;
  text: string;
}

export function statusFromStore(campaignDir: string, name: string): OfflineStatus {
  const base = { running: false as const, name, campaignDir, trials: 0, costUsd: 0, bestTrainScore: null, bestCandidateId: null,
    candidates: { evaluated: 0, rejected: 0, invalid: 0 }, flagged: [], lastEvent: null };
  if (!existsSync(path.join(campaignDir, STORE_FILE))) {
    return { ...base, text: `campaign ${name}: not started (no store in ${campaignDir})` };
  }
  const store = openStore(campaignDir);
  try {
    const trials = store.listTrials(name);
    const candidates = store.listCandidates(name);
    const proposals = store.listProposals(name);
    const best = candidates.filter((c) => c.status === 'evaluated').sort((a, b) => b.meanReward - a.meanReward)[0];
    const events = store.listEvents(name);
    const count = (s: string): number => candidates.filter((c) => c.status === s).length;
    const costUsd = trials.reduce((a, t) => a + t.usage.costUsd, 0) + proposals.reduce((a, p) => a + p.usage.costUsd, 0);
    const status: Omit<OfflineStatus, 'text'> = {
      ...base, trials: trials.length, costUsd,
      bestTrainScore: best?.meanReward ?? null, bestCandidateId: best?.id ?? null,
      candidates: { evaluated: count('evaluated'), rejected: count('rejected'), invalid: count('invalid') },
      flagged: candidates.filter((c) => isTamperingVerdict(c.verdict)).map((c) => ({ candidateId: c.id, generation: c.generation, reason: c.verdict })),
      lastEvent: events.at(-1)?.kind ?? null,
    };
    const state = status.lastEvent === 'completed'
      ? `finished; \`autoagent report ${campaignDir}\` shows it all`
      : 'not running here; `autoagent run <campaign.yaml>` resumes it';
    const text = [
      `campaign     ${name} (${state})`,
      `best train   ${status.bestTrainScore?.toFixed(3) ?? '-'}  (${status.bestCandidateId ?? '-'})`,
      `trials       ${status.trials} recorded`,
      `spend        $${costUsd.toFixed(4)}`,
      `candidates   ${status.candidates.evaluated} accepted, ${status.candidates.rejected} rejected, ${status.candidates.invalid} invalid`,
      `last event   ${status.lastEvent ?? '-'}`,
      ...faultLines(events.at(-1)),
      ...flaggedLines(status.flagged),
    ].join('\n');
    return { ...status, text };
  } finally {
    store.close();
  }
}

/** A generation that failed on a systemic model fault (a rejected key, an outage) says so, with the reason. */
function faultLines(last: { kind: string; data: unknown } | undefined): string[] {
  if (last?.kind !== 'generation-failed') return [];
  const d = last.data as { fault?: unknown; error?: unknown } | null;
  if (typeof d?.fault !== 'string' || typeof d.error !== 'string') return [];
  return [`stopped on   ${d.fault} fault: ${d.error}`];
}
