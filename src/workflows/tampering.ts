/**
 * Reward-tampering verdicts, shared by the screen (activities: it writes the reasons) and the campaign
 * state (workflow: a candidate with a flagged passing trial is rejected with the reason). Pure strings, so
 * `status`, the report and the experiment log can all tell a tampering rejection by its prefix.
 */
import type { TrialOutcome } from './types';

const TAMPERING_PREFIX = 'reward tampering';

export const isTamperingVerdict = (verdict: string | null | undefined): boolean =>
  (verdict ?? '').startsWith(TAMPERING_PREFIX);

/** Why a proposal is rejected before any trial runs. */
export const harnessTamperingReason = (findings: string): string =>
  `${TAMPERING_PREFIX} in the harness change: ${findings}`;

/** The verdict of a candidate whose passing trials were flagged, or null when none was. */
export function tamperedTrialsVerdict(trials: readonly TrialOutcome[]): string | null {
  const flagged = trials.filter((t) => typeof t.tampering === 'string' && t.tampering !== '');
  const first = flagged[0];
  if (!first) return null;
  return `${TAMPERING_PREFIX} in ${flagged.length} passing trial(s), rejected; first ${first.task} #${first.repeat} (${first.trialId}): ${first.tampering}`;
}
