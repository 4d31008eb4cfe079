/**
 * `autoagent ui <campaign-dir> [--port N]`: serves the report live on 127.0.0.1 (read-only), refreshing
 * from the store every few seconds. With --temporal (or a configured shared server, see temporal/connection.ts) it also shows the
 * workflow's own status from the `status` query of `campaign/<name>`.
 */
import { z } from 'zod';
import { resolveCampaign } from '../../report/data';
import { openCampaignStore } from '../../report/generate';
import { startReportServer } from '../../report/server';
import { parseOptions } from '../options';

const UiOptions = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8765),
  campaign: z.string().min(1).optional(),
  temporal: z.string().min(1).optional(),
});

/** A status getter that queries the campaign workflow; connection errors just mean "no status". */
async function temporalStatus(address: string | undefined, campaign: string): Promise<() => Promise<unknown>> {
  const { connectClient, serverTarget } = await import('../../temporal/connection');
  const { campaignHandle } = await import('../../temporal/client');
  const { statusQuery } = await import('../../workflows/definitions');
  let client: Awaited<ReturnType<typeof connectClient>> | null = null;
  return async () => {
    client ??= await connectClient(serverTarget(address ? { address } : {}));
    return campaignHandle(client, campaign).query(statusQuery);
  };
}

async function campaignName(dir: string, requested: string | undefined): Promise<string> {
  const store = await openCampaignStore(dir);
  try {
    return await resolveCampaign(store, requested);
  } finally {
    await store.close();
  }
}

/** `ui` (its arguments, options and help: cli/definitions.ts). */
export async function uiAction(dir: string, raw: unknown): Promise<void> {
  const opts = parseOptions(UiOptions, raw);
  const address = opts.temporal;
  const shared = (await import('../../temporal/connection')).sharedServerConfigured();
  const campaign = await campaignName(dir, opts.campaign);
  const status = address || shared ? await temporalStatus(address, campaign) : undefined;
  const server = await startReportServer({ dir, port: opts.port, campaign, status });
  process.stdout.write(`serving campaign ${campaign} at ${server.url} (read-only; Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await server.close();
}
