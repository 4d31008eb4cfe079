/** Opens a Temporal client for a campaign target (see target.ts) and always closes it. */
import { connectClient } from '../../temporal/connection';
import { campaignHandle, type CampaignHandle } from '../../temporal/client';
import type { Client } from '@temporalio/client';
import { resolveTarget, serverFor, type CampaignTarget } from './target';

export async function withCampaign<T>(
  arg: string,
  fn: (h: CampaignHandle, ctx: { client: Client; target: CampaignTarget }) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(arg);
  const client = await connectClient(serverFor(target));
  try {
    return await fn(campaignHandle(client, target.name), { client, target });
  } finally {
    await client.connection.close();
  }
}
