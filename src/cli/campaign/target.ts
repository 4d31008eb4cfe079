/**
 * Which campaign a command means, and how to reach its Temporal server. A campaign is named by its
 * campaign.yaml, its folder (`.autoagent/<name>` beside the yaml), or — with TEMPORAL_ADDRESS — its name.
 * In the embedded mode `autoagent run` records the dev server it started in `<campaignDir>/server.json`,
 * so `status`, `pause`, ... from another terminal talk to the same server.
 */
import { serverTarget, sharedServerConfigured, type ServerTarget } from '../../temporal/connection';
import { existsSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadCampaignConfig, type CampaignConfig } from '../../campaign/config';
import { UsageError } from '../errors';
import { campaignDirFor, serverFile, storeFile, temporalDbFile } from '../../campaign/layout';

export interface CampaignTarget {
  name: string;
  /** Null when only a name was given (client of a shared server). */
  campaignDir: string | null;
  configPath: string | null;
  /** campaign.yaml as read (once) when the target was named by it; null otherwise. */
  config: CampaignConfig | null;
}

export function resolveTarget(arg: string): CampaignTarget {
  const abs = path.resolve(arg);
  if (existsSync(abs) && statSync(abs).isFile()) {
    const config = loadCampaignConfig(abs);
    return { name: config.name, campaignDir: campaignDirFor(abs, config.name), configPath: abs, config };
  }
  if (existsSync(storeFile(abs)) || existsSync(serverFile(abs))) {
    return { name: path.basename(abs), campaignDir: abs, configPath: null, config: null };
  }
  if (existsSync(path.join(abs, 'campaign.yaml'))) return resolveTarget(path.join(abs, 'campaign.yaml'));
  if (/^[a-z0-9][a-z0-9._-]*$/i.test(arg)) return { name: arg, campaignDir: null, configPath: null, config: null };
  throw new UsageError(`${arg}: not a campaign.yaml, a campaign folder, or a campaign name`);
}

const ServerFile = z.object({
  address: z.string(),
  namespace: z.string(),
  /** The `autoagent run` process that owns the server. */
  pid: z.number().int(),
  /** The dev server process itself: it outlives a kill -9 of its owner and must be stopped before a restart. */
  serverPid: z.number().int().nullable().default(null),
});
export type ServerFile = z.infer<typeof ServerFile>;

export function writeServerFile(campaignDir: string, info: ServerFile): void {
  writeFileSync(serverFile(campaignDir), `${JSON.stringify(info)}\n`);
}

export function removeServerFile(campaignDir: string): void {
  rmSync(serverFile(campaignDir), { force: true });
}

/** A zombie (exited, not yet reaped: pid 1 in many containers never reaps) is not alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): the signal check is all we have
  }
}

/** The pid is still our dev server (not a recycled pid): its command line names this campaign's db file. */
function isDevServerOf(pid: number, campaignDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .includes(path.resolve(temporalDbFile(campaignDir)));
  } catch {
    return !existsSync('/proc/self'); // no /proc (macOS): trust the pid
  }
}

function parseServerFile(campaignDir: string): ServerFile | null {
  try {
    return ServerFile.parse(JSON.parse(readFileSync(serverFile(campaignDir), 'utf8')));
  } catch {
    return null;
  }
}

/** The server a running `autoagent run` started for this campaign, or null. */
export function readServerFile(campaignDir: string): ServerFile | null {
  const info = parseServerFile(campaignDir);
  return info && alive(info.pid) ? info : null;
}

/**
 * After `autoagent run` died without cleaning up (kill -9, a lost terminal), its dev server may still hold
 * temporal.sqlite: stop it so the next run can open the file. Returns whether one was stopped.
 */
export async function stopOrphanedServer(campaignDir: string): Promise<boolean> {
  const info = parseServerFile(campaignDir);
  if (
    !info ||
    alive(info.pid) ||
    info.serverPid === null ||
    !alive(info.serverPid) ||
    !isDevServerOf(info.serverPid, campaignDir)
  )
    return false;
  process.kill(info.serverPid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(info.serverPid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(info.serverPid)) process.kill(info.serverPid, 'SIGKILL');
  removeServerFile(campaignDir);
  return true;
}

/** A configured shared server wins (TEMPORAL_ADDRESS, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE); else the embedded server of a running `autoagent run`; else a clear error. */
export function serverFor(target: CampaignTarget): ServerTarget {
  if (sharedServerConfigured()) return serverTarget();
  const info = target.campaignDir ? readServerFile(target.campaignDir) : null;
  if (!info) {
    const how = target.configPath
      ? `autoagent run ${path.relative(process.cwd(), target.configPath) || target.configPath}`
      : 'autoagent run <campaign.yaml>';
    throw new UsageError(
      `campaign "${target.name}" is not running here (no TEMPORAL_ADDRESS, no live embedded server); start or resume it with \`${how}\``,
    );
  }
  return { address: info.address, namespace: info.namespace };
}
