/** Campaigns a user can see: the CampaignWorkflows on the configured shared server (connection.ts), or the campaign folders under a directory. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { connectClient, serverTarget, sharedServerConfigured, type ServerTarget } from '../../temporal/connection';
import { readServerFile } from './target';
import { CAMPAIGNS_FOLDER } from '../../campaign/layout';

export interface ListedCampaign {
  name: string;
  state: string;
  where: string;
}

async function fromServer(server: ServerTarget): Promise<ListedCampaign[]> {
  const client = await connectClient(server);
  try {
    const out: ListedCampaign[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'CampaignWorkflow'` })) {
      out.push({
        name: wf.workflowId.replace(/^campaign\//, ''),
        state: wf.status.name,
        where: `${server.address} ${wf.workflowId}`,
      });
    }
    return out;
  } finally {
    await client.connection.close();
  }
}

/** `.autoagent/<name>` folders up to three levels below `dir`. */
async function fromFolders(dir: string, depth = 3): Promise<ListedCampaign[]> {
  const out: ListedCampaign[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isDirectory() || e.name === 'node_modules' || e.name === '.git') continue;
    const sub = path.join(dir, e.name);
    if (e.name === CAMPAIGNS_FOLDER) {
      for (const c of await readdir(sub, { withFileTypes: true })) {
        if (!c.isDirectory()) continue;
        const campaignDir = path.join(sub, c.name);
        out.push({ name: c.name, state: readServerFile(campaignDir) ? 'RUNNING' : 'not running', where: campaignDir });
      }
    } else if (depth > 0) {
      out.push(...(await fromFolders(sub, depth - 1)));
    }
  }
  return out;
}

export function listCampaigns(dir: string): Promise<ListedCampaign[]> {
  return sharedServerConfigured() ? fromServer(serverTarget()) : fromFolders(path.resolve(dir));
}
