/**
 * Who owns a sandbox container, as labels, and whether that owner is gone (its container is an orphan).
 * A pid alone is not enough: a worker in a restarted container (`restart: unless-stopped`) keeps its
 * hostname and usually gets the same small pid back, so its dead predecessor's sandboxes would look alive
 * forever. The process start time (/proc/<pid>/stat, clock ticks since boot) tells the two apart. Where
 * /proc is absent (macOS) only the pid is compared.
 *
 * The host a sandbox names is the hostname, or AUTOAGENT_OWNER_HOST: processes given different names on one
 * machine never reap each other's sandboxes (tests that kill a worker and count what the next one reaps).
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

export const OWNER_LABEL = { pid: 'autoagent.pid', started: 'autoagent.started', host: 'autoagent.host' } as const;

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces), or null. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The host this process's sandboxes name as their owner's. */
const ownerHost = (): string => process.env.AUTOAGENT_OWNER_HOST || os.hostname();

export function ownerLabels(): Record<string, string> {
  const started = processStartTicks(process.pid);
  return {
    [OWNER_LABEL.pid]: String(process.pid),
    [OWNER_LABEL.host]: ownerHost(),
    ...(started ? { [OWNER_LABEL.started]: started } : {}),
  };
}

/** True only for containers started from this machine whose owner process no longer runs. */
export function ownerGone(labels: Record<string, string>): boolean {
  const pid = Number(labels[OWNER_LABEL.pid]);
  // A pid means nothing on another machine (or in another worker container: its hostname differs).
  if (labels[OWNER_LABEL.host] !== ownerHost() || !Number.isInteger(pid) || pid <= 0) return false;
  if (!pidAlive(pid)) return true;
  const recorded = labels[OWNER_LABEL.started];
  const current = processStartTicks(pid);
  return recorded !== undefined && current !== null && recorded !== current;
}
