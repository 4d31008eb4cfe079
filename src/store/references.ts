/**
 * References instead of paths between machines. The workflow's records name tasks, harnesses and the
 * campaign's own files by the paths the client saw; a worker that shares no filesystem with the client
 * (AUTOAGENT_ARTIFACTS set: a shared artifact store) resolves each through the record store to a
 * content-addressed bundle in the artifact store, fetched once into its local cache:
 *   task     <task content hash>        → the task folder (published by the client at campaign start)
 *   harness  <harness id>               → a candidate's folder (published by whoever materialized it)
 *   path     [campaign, abs path]       → a client file or folder: the seed harness, program.md
 *                                          (republished by each `run`, so the latest wins, as on one machine)
 * Embedded (no shared artifact store), every path is opened as given, exactly as before.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fetchFolderBundle, putFolderBundle } from '../artifacts/bundles';
import type { CampaignPlan, HarnessRef, TaskRef } from '../workflows/types';
import type { CampaignStore } from './store';

type Env = Record<string, string | undefined>;

/** Whether workers may be on other machines: artifacts go to a store they all reach. */
export const sharedArtifacts = (env: Env = process.env): boolean => Boolean(env.AUTOAGENT_ARTIFACTS);

/** Where this machine keeps fetched bundles (AUTOAGENT_CACHE_DIR, default ~/.cache/autoagent/bundles). */
export const bundleCacheDir = (env: Env = process.env): string =>
  env.AUTOAGENT_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'autoagent', 'bundles');

// JSON: unambiguous, and text PostgreSQL accepts (it refuses NUL in text).
const pathKey = (campaign: string, p: string): string => JSON.stringify([campaign, path.resolve(p)]);

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Client side, before the campaign starts: the tasks, the seed harness and program.md, as bundles. */
export async function publishCampaignInputs(store: CampaignStore, plan: CampaignPlan, env: Env = process.env) {
  if (!sharedArtifacts(env)) return { tasks: 0 };
  const tasks = new Map<string, TaskRef>();
  for (const t of [...plan.train, ...plan.holdout]) tasks.set(t.hash, t);
  for (const t of tasks.values()) {
    if (await store.records.getBundleRef('task', t.hash)) continue; // content-addressed: published once
    await store.records.putBundleRef('task', t.hash, await putFolderBundle(store.artifacts, t.dir));
  }
  const seed = await putFolderBundle(store.artifacts, plan.seedHarness);
  await store.records.putBundleRef('path', pathKey(plan.name, plan.seedHarness), seed, { replace: true });
  const program = plan.meta?.programPath;
  if (program) {
    const hash = await store.putArtifact(await readFile(program));
    await store.records.putBundleRef('path', pathKey(plan.name, program), hash, { replace: true });
  }
  return { tasks: tasks.size };
}

/** A materialized candidate folder (`harnesses/<id>/`), published for workers elsewhere. */
export async function publishHarness(store: CampaignStore, ref: HarnessRef, env: Env = process.env): Promise<void> {
  if (!sharedArtifacts(env) || (await store.records.getBundleRef('harness', ref.id))) return;
  await store.records.putBundleRef('harness', ref.id, await putFolderBundle(store.artifacts, ref.dir));
}

async function fetched(store: CampaignStore, kind: string, key: string, env: Env): Promise<string | null> {
  const hash = await store.records.getBundleRef(kind, key);
  return hash ? fetchFolderBundle(store.artifacts, hash, bundleCacheDir(env)) : null;
}

/** The task's folder on this machine: its bundle when published, else its path. */
export async function taskDirFor(store: CampaignStore, task: TaskRef, env: Env = process.env): Promise<string> {
  if (!sharedArtifacts(env)) return task.dir;
  return (await fetched(store, 'task', task.hash, env)) ?? task.dir;
}

/**
 * A candidate's folder (`…/harnesses/<id>`) on this machine. The folder is content-addressed: when it is
 * here it is the right one; otherwise its published bundle.
 */
export async function harnessDirFor(store: CampaignStore, dir: string, env: Env = process.env): Promise<string> {
  if (!sharedArtifacts(env) || (await exists(dir))) return dir;
  return (await fetched(store, 'harness', path.basename(dir), env)) ?? dir;
}

/** A client folder the campaign names by path (the seed harness): as published by the last `run`. */
export async function clientDirFor(
  store: CampaignStore,
  campaign: string,
  dir: string,
  env: Env = process.env,
): Promise<string> {
  if (!sharedArtifacts(env)) return dir;
  return (await fetched(store, 'path', pathKey(campaign, dir), env)) ?? dir;
}

/**
 * A client file the campaign names by path (program.md) as the last `run` published it, or null (embedded,
 * or never published: read it here). A store that cannot answer throws (retried), never reads as "none".
 */
export async function publishedFileText(
  store: CampaignStore,
  campaign: string,
  file: string,
  env: Env = process.env,
): Promise<string | null> {
  const hash = sharedArtifacts(env) ? await store.records.getBundleRef('path', pathKey(campaign, file)) : null;
  return hash ? store.getArtifactText(hash) : null;
}

/**
 * Half-shared stores work on one machine but not across machines: say so (the worker and `run` print it).
 * Null when both are shared or both are local.
 */
export function halfSharedStores(env: Env = process.env): string | null {
  const sharedRecords = Boolean(env.AUTOAGENT_STORE) && !env.AUTOAGENT_STORE?.startsWith('sqlite:');
  if (sharedArtifacts(env) && !sharedRecords)
    return "AUTOAGENT_ARTIFACTS is shared but the records are a local SQLite file (AUTOAGENT_STORE): workers on other machines will not find the published tasks and harnesses nor each other's trials; set AUTOAGENT_STORE=postgres://…";
  if (sharedRecords && !sharedArtifacts(env))
    return 'AUTOAGENT_STORE is shared but the artifacts stay in local folders (AUTOAGENT_ARTIFACTS unset): workers on other machines cannot fetch tasks, harnesses or trajectories; set AUTOAGENT_ARTIFACTS=s3://bucket/prefix';
  return null;
}
