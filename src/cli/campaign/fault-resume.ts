/**
 * `autoagent run` on a campaign that paused itself on a credential or configuration fault: the user has
 * (presumably) fixed the cause and started `run` again — in embedded mode that is the only way a new key
 * reaches the worker — so the fault's pause is lifted and the failed generation reruns. A pause the user
 * asked for (no pauseReason) is left alone.
 */
import { campaignStatus, resumeCampaign, type CampaignHandle } from '../../temporal/client';

export async function resumeAfterFault(handle: CampaignHandle, log: (line: string) => void): Promise<boolean> {
  const status = await campaignStatus(handle).catch(() => null);
  if (!status?.paused || !status.pauseReason) return false;
  log(
    `campaign ${status.name} was paused: ${status.pauseReason}\nresuming it (the generation that failed reruns; stored trials are reused)`,
  );
  await resumeCampaign(handle);
  return true;
}
