/**
 * `autoagent run <campaign.yaml>`: starts the campaign, or re-attaches to it — running the same command
 * after a crash or Ctrl-C resumes where it stopped, never restarts (use --restart for a new run of a
 * finished campaign). Without TEMPORAL_ADDRESS it is self-contained: a Temporal dev server persisted in the
 * campaign folder (temporal.sqlite) plus in-process workers. With TEMPORAL_ADDRESS it is only a client;
 * `autoagent worker` processes do the work. Before anything starts, the whole campaign is checked
 * client-side (preflight.ts): a bad config, task, split, seed harness or a missing key exits 2 with nothing
 * recorded. Two `run`s of one campaign at once: the second waits and attaches (start-lock.ts).
 */
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { productionParts } from '../../app/production';
import { startOrAttachCampaign } from '../../temporal/client';
import {
  connectClient,
  connectWorker,
  serverTarget,
  sharedServerConfigured,
  type ServerTarget,
} from '../../temporal/connection';
import { startDevServer } from '../../temporal/dev-server';
import { createWorkers, installWorkerLogger } from '../../workers';
import { resumeAfterFault } from '../campaign/fault-resume';
import { followCampaign } from '../campaign/follow';
import { preflightCampaign } from '../campaign/preflight';
import { acquireStartLock, CampaignBusyError, lockHolder } from '../campaign/start-lock';
import {
  readServerFile,
  removeServerFile,
  resolveTarget,
  stopOrphanedServer,
  writeServerFile,
  type CampaignTarget,
  type ServerFile,
} from '../campaign/target';
import { UsageError } from '../errors';
import { parseOptions } from '../options';
import { temporalDbFile } from '../../campaign/layout';
import type { CampaignPlan } from '../../workflows/types';

const RunOptions = z.object({
  restart: z.boolean().default(false),
  detach: z.boolean().default(false),
  json: z.boolean().default(false),
  trialSlots: z.coerce.number().int().positive().max(256).optional(),
  /** The flag's old name (see worker.ts). */
  concurrency: z.coerce.number().int().positive().max(256).optional(),
  uiPort: z.coerce.number().int().min(1).max(65535).optional(),
});
type RunOptions = z.infer<typeof RunOptions>;

/** `run` (its arguments, options and help: cli/definitions.ts). */
export async function runAction(file: string, raw: unknown): Promise<void> {
  const opts = parseOptions(RunOptions, raw);
  const target = resolveTarget(file);
  if (!target.config || !target.campaignDir) throw new UsageError(`${file}: run takes a campaign.yaml`);
  const shared = sharedServerConfigured();
  const running = shared ? null : readServerFile(target.campaignDir);
  // Check before start: only this process's own workers need its credentials (not a shared server's).
  const check = await preflightCampaign(target.config, {
    credentials: !shared && !running,
    warn: (w) => process.stderr.write(`autoagent: warning: ${w}\n`),
  });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (shared) return await asClient(target, check.plan, serverTarget(), opts, abort.signal);
    if (running) {
      process.stderr.write(`attaching to the running embedded server of ${target.name} (pid ${running.pid})\n`);
      return await asClient(target, check.plan, running, { ...opts, restart: false }, abort.signal);
    }
    if (opts.detach)
      throw new UsageError('--detach needs TEMPORAL_ADDRESS (the embedded server lives in this process)');
    let release: () => void;
    try {
      release = acquireStartLock(target.campaignDir, target.name);
    } catch (err) {
      if (!(err instanceof CampaignBusyError)) throw err;
      // Another `run` started a moment ago: say so, and attach once its server is up.
      process.stderr.write(`${err.message.replace(/; run the same command.*$/, '')}: waiting to attach\n`);
      const server = await waitForServer(target.campaignDir, abort.signal);
      if (!server) throw err;
      return await asClient(target, check.plan, server, { ...opts, restart: false }, abort.signal);
    }
    await embedded(target, check.plan, opts, abort.signal).finally(release);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * The campaign's inputs go to its stores first — with a shared artifact store (AUTOAGENT_ARTIFACTS) as bundles
 * workers elsewhere fetch, embedded as the local store's own records — and the workflow gets the plan as
 * references only: task hashes, the seed's and program.md's hashes (src/store/references.ts).
 */
async function publishInputs(plan: CampaignPlan): Promise<CampaignPlan> {
  const { halfSharedStores, sharedArtifacts, publishCampaignInputs } = await import('../../store/references');
  const half = halfSharedStores();
  if (half) process.stderr.write(`autoagent: warning: ${half}\n`);
  const { openStore } = await import('../../store/store');
  const store = await openStore(plan.campaignDir);
  try {
    const published = await publishCampaignInputs(store, plan);
    if (sharedArtifacts())
      process.stderr.write(
        `published ${published.tasks} task(s), the seed harness and the program to ${store.artifacts.url}\n`,
      );
    return published.plan;
  } finally {
    await store.close();
  }
}

/** Starts the campaign from the plan preflight built (campaign.yaml is not read again), or attaches to it. */
async function startAndFollow(
  client: Client,
  target: CampaignTarget,
  plan: CampaignPlan,
  opts: RunOptions,
  signal: AbortSignal,
): Promise<void> {
  const published = await publishInputs(plan);
  const { handle, state } = await startOrAttachCampaign(client, {
    name: target.name,
    input: { plan: published },
    restart: opts.restart,
  });
  process.stderr.write(`campaign ${target.name}: ${state} (workflow ${handle.workflowId})\n`);
  if (state === 'running') await resumeAfterFault(handle, (line) => process.stderr.write(`${line}\n`));
  if (opts.detach) return;
  const summary = await followCampaign(client, handle, { json: opts.json, signal });
  if (!summary)
    process.stderr.write(`interrupted: campaign ${target.name} is resumable — run the same command again\n`);
}

async function asClient(
  target: CampaignTarget,
  plan: CampaignPlan,
  server: ServerTarget,
  opts: RunOptions,
  signal: AbortSignal,
): Promise<void> {
  const client = await connectClient(server);
  try {
    await startAndFollow(client, target, plan, opts, signal);
  } finally {
    await client.connection.close();
  }
}

/** The server of the `run` holding the start lock, once it is up (null if it does not come up, or the holder exits). */
async function waitForServer(
  campaignDir: string,
  signal: AbortSignal,
  timeoutMs = 120_000,
): Promise<ServerFile | null> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted && Date.now() < deadline) {
    const server = readServerFile(campaignDir);
    if (server) return server;
    if (lockHolder(campaignDir) === null) return null;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

async function embedded(
  target: CampaignTarget,
  plan: CampaignPlan,
  opts: RunOptions,
  signal: AbortSignal,
): Promise<void> {
  const campaignDir = target.campaignDir as string;
  installWorkerLogger(process.env.AUTOAGENT_DEBUG ? 'INFO' : 'WARN');
  if (await stopOrphanedServer(campaignDir)) process.stderr.write('stopped the dev server a killed run left behind\n');
  const dev = await startDevServer({ dbFile: temporalDbFile(campaignDir), uiPort: opts.uiPort });
  writeServerFile(campaignDir, {
    address: dev.address,
    namespace: dev.namespace,
    pid: process.pid,
    serverPid: dev.pid,
  });
  if (opts.uiPort) process.stderr.write(`Temporal UI: http://127.0.0.1:${opts.uiPort}\n`);
  const client = await connectClient(dev);
  const connection = await connectWorker(dev);
  try {
    const parts = productionParts({ connection: client.connection, namespace: dev.namespace });
    const workers = await createWorkers({
      connection,
      namespace: dev.namespace,
      deps: parts.deps,
      trialSlots: opts.trialSlots ?? opts.concurrency ?? plan.concurrency,
      reapOrphans: parts.reapOrphans,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    const running = workers.run();
    try {
      await startAndFollow(client, target, plan, opts, signal);
    } finally {
      workers.shutdown();
      await running;
    }
  } finally {
    await connection.close();
    await client.connection.close();
    await dev.stop();
    removeServerFile(campaignDir);
  }
}
