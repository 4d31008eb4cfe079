/**
 * Live progress of a campaign until it ends or the user interrupts: a status line whenever it changes
 * (or a JSON line with --json), then the summary. Polling queries keeps this a pure client: it works the
 * same against the embedded dev server and a shared cluster.
 */
import type { Client } from '@temporalio/client';
import { campaignResult, campaignStatus, childProgress, type CampaignHandle } from '../../temporal/client';
import type { CampaignSummary } from '../../workflows/types';
import { statusLine, summaryBlock } from './progress';

export async function followCampaign(
  client: Client,
  handle: CampaignHandle,
  opts: { json: boolean; signal: AbortSignal; pollMs?: number },
): Promise<CampaignSummary | null> {
  let done = false;
  // The result is a long poll: on interrupt it must be cancelled, not left to retry against a connection
  // (or an embedded server) that is about to close — that retry throws from a timer and kills the process.
  const result = client.withAbortSignal(opts.signal, () => campaignResult(handle)).finally(() => void (done = true));
  let last = '';
  while (!done && !opts.signal.aborted) {
    const status = await campaignStatus(handle).catch(() => null);
    if (status) {
      const progress = await childProgress(client, status.currentChild);
      const line = opts.json ? JSON.stringify({ type: 'status', status, progress }) : statusLine(status, progress);
      if (line !== last) process.stdout.write(`${line}\n`);
      last = line;
    }
    await Promise.race([result.catch(() => undefined), sleep(opts.pollMs ?? 2000, opts.signal)]);
  }
  if (opts.signal.aborted) return null;
  const summary = await result;
  process.stdout.write(
    opts.json ? `${JSON.stringify({ type: 'summary', ...summary })}\n` : `${summaryBlock(summary)}\n`,
  );
  return summary;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = (): void => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
