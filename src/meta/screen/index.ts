/**
 * The reward-tampering screen (issue 12, "the meta-agent is told, and watched"): a deterministic check of
 * every proposed harness change and of every passing trial's trajectory. The meta-harness already forbids
 * tampering; this catches a candidate that does it anyway, and the campaign rejects it with the reason.
 * The runtime defences (agent processes killed before verify, filesystem diff) stop what slips past.
 */
import { harnessTamperingReason } from '../../workflows/tampering';
import { screenHarnessChange } from './harness';
import { screenTrajectoryText } from './trajectory';
import { describeFindings } from './types';

export { screenHarnessChange, screenHarnessFile } from './harness';
export { screenTrajectory, screenTrajectoryText, type TrajectoryScreen } from './trajectory';
export { scanShell } from './shell';
export { describeFindings, type TamperFinding, type TamperRule } from './types';

/** Why a proposed harness is rejected (the verdict), or null when its change is clean. */
export function harnessTampering(
  parent: Readonly<Record<string, string>> | null,
  candidate: Readonly<Record<string, string>>,
): string | null {
  const findings = screenHarnessChange(parent, candidate);
  return findings.length > 0 ? harnessTamperingReason(describeFindings(findings)) : null;
}

/**
 * What a trial's trajectory shows, for a PASSING trial (reward > 0: where tampering pays); null when clean,
 * failing, or when there is no trajectory (oracle / noop runs; nothing an agent did to screen).
 */
export function trialTampering(reward: number, trajectoryText: string | null | undefined): string | null {
  if (!(reward > 0) || !trajectoryText) return null;
  const { findings } = screenTrajectoryText(trajectoryText);
  return findings.length > 0 ? describeFindings(findings) : null;
}
