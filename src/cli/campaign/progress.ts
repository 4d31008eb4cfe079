/** How a campaign's status reads to a person: one line per change while it runs, a block for `status`. */
import type { GenerationProgress } from '../../workflows/definitions';
import type { CampaignStatus, CampaignSummary, FlaggedCandidate } from '../../workflows/types';

const score = (s: number | null | undefined): string => (s === null || s === undefined ? '-' : s.toFixed(3));
const usd = (n: number): string => `$${n.toFixed(4)}`;

export function statusLine(s: CampaignStatus, child: GenerationProgress | null): string {
  const parts = [
    `gen ${s.generation}`,
    s.phase + (s.paused ? ' (paused)' : '') + (s.stopRequested ? ' (stopping)' : ''),
    `best train ${score(s.bestTrainScore)}`,
    `holdout ${score(s.bestHoldoutScore)}`,
    `trials ${s.trialsDone}${s.trialsTotal ? `/${s.trialsTotal}` : ''}`,
    `spend ${usd(s.spend.costUsd)}${s.budget.usd ? `/${usd(s.budget.usd)}` : ''}`,
  ];
  if (child)
    parts.push(
      `${child.phase}: proposals ${child.proposalsDone}/${child.proposalsTotal}, trials ${child.trialsDone}/${child.trialsTotal}`,
    );
  if (s.pauseReason) parts.push(`PAUSED: ${s.pauseReason}`);
  else if (s.waitingForRetry)
    parts.push(
      `FAILED gen ${s.waitingForRetry.generation}: ${s.waitingForRetry.error} — run \`autoagent retry-generation\``,
    );
  return parts.join(' | ');
}

export function statusBlock(s: CampaignStatus, child: GenerationProgress | null): string {
  return [
    `campaign     ${s.name}`,
    `phase        ${s.phase}${s.paused ? ' (paused)' : ''}${s.stopRequested ? ' (stop requested)' : ''}`,
    `generation   ${s.generation}`,
    `best train   ${score(s.bestTrainScore)}  (${s.bestCandidateId ?? '-'})`,
    `best holdout ${score(s.bestHoldoutScore)}`,
    `trials       ${s.trialsDone} done${s.trialsTotal ? ` of ~${s.trialsTotal}` : ''}, ${s.trialsCached} from cache`,
    `spend        ${usd(s.spend.costUsd)}${s.budget.usd ? ` of ${usd(s.budget.usd)}` : ''}, ${s.spend.tokens} tokens`,
    `candidates   ${s.candidates.evaluated} accepted, ${s.candidates.rejected} rejected, ${s.candidates.invalid} invalid`,
    ...(child
      ? [
          `now          ${child.phase}: proposals ${child.proposalsDone}/${child.proposalsTotal}, trials ${child.trialsDone}/${child.trialsTotal}`,
        ]
      : []),
    ...(s.pauseReason ? [`PAUSED       ${s.pauseReason}`] : []),
    ...(s.waitingForRetry && !s.pauseReason
      ? [
          `FAILED       generation ${s.waitingForRetry.generation}: ${s.waitingForRetry.error}\n             fix the cause, then: autoagent retry-generation ${s.name}`,
        ]
      : []),
    ...(s.lastError ? [`last error   ${s.lastError}`] : []),
    ...flaggedLines(s.flagged ?? []),
  ].join('\n');
}

/** Candidates rejected for reward tampering: how many, and the newest with its reason. */
export function flaggedLines(flagged: readonly FlaggedCandidate[]): string[] {
  const last = flagged.at(-1);
  if (!last) return [];
  return [
    `flagged      ${flagged.length} candidate(s) rejected for reward tampering; newest ${last.candidateId} (gen ${last.generation}):`,
    `             ${last.reason}`,
  ];
}

export function summaryBlock(r: CampaignSummary): string {
  const line = (label: string, h: CampaignSummary['best']): string =>
    `${label} ${h ? `${h.candidateId}: train ${score(h.trainScore)}, holdout ${score(h.holdoutScore)}` : '-'}`;
  return [
    `campaign ${r.name} finished after ${r.generations} generation(s): ${r.stopReason}`,
    line('seed:', r.seed),
    line('best:', r.best),
    `spend: ${usd(r.ledger.costUsd)}, ${r.ledger.trials} trials, ${r.ledger.tokens} tokens; candidates ${r.candidates.evaluated} accepted, ${r.candidates.rejected} rejected, ${r.candidates.invalid} invalid`,
  ].join('\n');
}
