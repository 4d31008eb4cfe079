/**
 * What a campaign left behind, read the way an auditor would: the store (trials, candidates, proposals,
 * events), the Docker engine (sandboxes by owner pid) and /proc (processes left behind). Docker must be
 * there: these tests fail without it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { openStore } from '../../../src/store/store';
import type { StoredCandidate, StoredEvent, StoredProposal, StoredTrial } from '../../../src/store/rows';

import type Docker from 'dockerode';
import { docker } from '../../integration/docker/support';

// One Docker client and one loud daemon check for every suite that needs the engine.
export { docker, requireDocker } from '../../integration/docker/support';

export interface StoreSnapshot {
  trials: StoredTrial[];
  candidates: StoredCandidate[];
  proposals: StoredProposal[];
  events: StoredEvent[];
}

/** One consistent read of the campaign store (opened and closed here: the CLI's workers keep writing). */
export async function readStore(
  campaignDir: string,
  campaign: string,
  env: Record<string, string | undefined> = process.env,
): Promise<StoreSnapshot> {
  const store = await openStore(campaignDir, { env });
  try {
    return {
      trials: await store.listTrials(campaign),
      candidates: await store.listCandidates(campaign),
      proposals: await store.listProposals(campaign),
      events: await store.listEvents(campaign),
    };
  } finally {
    await store.close();
  }
}

/** Sandboxes (ours: label autoagent=1) started by the process `pid`, running or not. */
export async function sandboxesOf(pid: number): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: ['autoagent=1', `autoagent.pid=${pid}`] } });
}

/** Whether pid is a live process (a zombie, exited but not reaped by pid 1, is not). Linux only (/proc). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live processes whose command line mentions `text` (e.g. a campaign folder), as "pid: command line". */
export function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return cmd.includes(text) && running(Number(pid)) ? [`${pid}: ${cmd}`] : [];
      } catch {
        return []; // exited while we looked
      }
    });
}
