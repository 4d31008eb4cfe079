/**
 * One embedded `autoagent run` per campaign folder. Two `run`s started at the same moment would both see
 * no server.json, both start a Temporal dev server on the same temporal.sqlite, and one would die with a
 * raw server error. The first takes `<campaignDir>/run.lock` (atomically, holding its pid and start time) for
 * its whole life; the second is told who holds it and waits to attach to that run's server. A lock whose
 * owner is dead (kill -9) is taken over.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { OWNER_LABEL, ownerGone, ownerLabels } from '../../sandbox/owner';
import { startLockFile } from '../../campaign/layout';

export class CampaignBusyError extends Error {
  override readonly name = 'CampaignBusyError';
  constructor(
    readonly campaign: string,
    readonly pid: number,
  ) {
    super(
      `campaign ${campaign} is already being started or running (by pid ${pid}); run the same command again to attach to it`,
    );
  }
}

const lockPath = startLockFile;

/** The live holder's pid, or null when the lock is free or its holder is gone. */
export function lockHolder(campaignDir: string): number | null {
  let labels: Record<string, string>;
  try {
    labels = JSON.parse(readFileSync(lockPath(campaignDir), 'utf8')) as Record<string, string>;
  } catch {
    return null;
  }
  const pid = Number(labels[OWNER_LABEL.pid]);
  return !Number.isInteger(pid) || pid <= 0 || ownerGone(labels) ? null : pid;
}

/** Takes the lock or throws CampaignBusyError naming the live holder. Returns the release function. */
export function acquireStartLock(campaignDir: string, campaign: string): () => void {
  mkdirSync(campaignDir, { recursive: true });
  const file = lockPath(campaignDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written aside, then hard-linked into place: the lock appears complete or not at all, so a reader
    // never sees an empty file (and takes it for a dead holder's).
    const aside = `${file}.${process.pid}`;
    writeFileSync(aside, `${JSON.stringify(ownerLabels())}\n`);
    try {
      linkSync(aside, file);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = lockHolder(campaignDir);
      if (holder !== null) throw new CampaignBusyError(campaign, holder);
      rmSync(file, { force: true }); // its owner was killed: take it over
    } finally {
      rmSync(aside, { force: true });
    }
  }
  throw new CampaignBusyError(campaign, lockHolder(campaignDir) ?? -1);
}
