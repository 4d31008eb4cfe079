/**
 * References instead of paths between machines. The workflow's records name tasks by content hash,
 * harnesses by id, and the seed harness and program.md by the hash of what the client published; each
 * worker resolves them here:
 *   task     <content hash>  → with a shared artifact store (AUTOAGENT_ARTIFACTS), its folder bundle, fetched
 *                              once into this machine's cache; embedded, the folder the client named, which the
 *                              record store (a local file then) keeps as `task-path`
 *   harness  <id>            → `harnesses/<id>/` of the campaign when it is here, else its published bundle
 *   seed     <bundle hash>   → the client's seed folder, as a bundle in the artifact store (local or shared)
 *   program  <artifact hash> → program.md's text in the artifact store
 * Plans recorded before references (and plans tests build in-process) still name paths; those are read as
 * they were: `dir`, `seedHarness`, `programPath`.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fetchFolderBundle, putFolderBundle } from '../artifacts/bundles';
import { harnessDir } from '../campaign/layout';
import type { CampaignPlan, MetaPlan, TaskRef } from '../workflows/types';
import type { CampaignStore } from './store';

type Env = Record<string, string | undefined>;

/** Whether workers may be on other machines: artifacts go to a store they all reach. */
export const sharedArtifacts = (env: Env = process.env): boolean => Boolean(env.AUTOAGENT_ARTIFACTS);

/** Where this machine keeps fetched bundles (AUTOAGENT_CACHE_DIR, default ~/.cache/autoagent/bundles). */
export const bundleCacheDir = (env: Env = process.env): string =>
  env.AUTOAGENT_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'autoagent', 'bundles');

/**
 * Where this worker keeps a campaign's own files — trial folders, materialized harnesses, proposal
 * workspaces: the campaign's home when the stores are local (one machine), else this machine's cache
 * (`AUTOAGENT_CACHE_DIR/campaigns/<name>`), so a worker never writes where the client's folder is named.
 */
export const workerHome = (campaignDir: string, env: Env = process.env): string =>
  sharedArtifacts(env) ? path.join(bundleCacheDir(env), 'campaigns', path.basename(campaignDir)) : campaignDir;

// JSON: unambiguous, and text PostgreSQL accepts (it refuses NUL in text).
const pathKey = (campaign: string, p: string): string => JSON.stringify([campaign, path.resolve(p)]);

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** A reference no store can resolve: the campaign was started without publishing its inputs. */
export class UnpublishedInputError extends Error {
  override readonly name = 'UnpublishedInputError';
}

/**
 * Client side, before the campaign starts: publishes the tasks, the seed harness and program.md, and returns
 * the plan as references only (the workflow input). A plan already published passes through unchanged.
 */
export async function publishCampaignInputs(
  store: CampaignStore,
  plan: CampaignPlan,
  env: Env = process.env,
): Promise<{ plan: CampaignPlan; tasks: number }> {
  const shared = sharedArtifacts(env);
  const tasks = new Map<string, TaskRef>();
  for (const t of [...plan.train, ...plan.holdout]) tasks.set(t.hash, t);
  for (const t of tasks.values()) {
    if (!t.dir) continue;
    if (!shared) {
      // Embedded: the record store is this machine's own file; the last run's folder for this content wins.
      await store.records.putBundleRef('task-path', t.hash, path.resolve(t.dir), { replace: true });
      continue;
    }
    if (await store.records.getBundleRef('task', t.hash)) continue; // content-addressed: published once
    await store.records.putBundleRef('task', t.hash, await putFolderBundle(store.artifacts, t.dir));
  }
  const seedBundle = plan.seedHarness ? await putFolderBundle(store.artifacts, plan.seedHarness) : plan.seedBundle;
  const program = plan.meta?.programPath;
  const programHash = program ? await store.putArtifact(await readFile(program)) : (plan.meta?.programHash ?? null);
  const { seedHarness: _seed, ...rest } = plan;
  const refOnly = (t: TaskRef): TaskRef => ({ name: t.name, hash: t.hash });
  const meta: MetaPlan | undefined = plan.meta
    ? (({ programPath: _p, ...m }) => ({ ...m, programHash }))(plan.meta)
    : undefined;
  return {
    plan: {
      ...rest,
      ...(seedBundle ? { seedBundle } : {}),
      train: plan.train.map(refOnly),
      holdout: plan.holdout.map(refOnly),
      ...(meta ? { meta } : {}),
    },
    tasks: tasks.size,
  };
}

/** A materialized candidate folder (`harnesses/<id>/`), published for workers elsewhere. */
export async function publishHarness(
  store: CampaignStore,
  ref: { id: string; dir: string },
  env: Env = process.env,
): Promise<void> {
  if (!sharedArtifacts(env) || (await store.records.getBundleRef('harness', ref.id))) return;
  await store.records.putBundleRef('harness', ref.id, await putFolderBundle(store.artifacts, ref.dir));
}

async function fetched(store: CampaignStore, kind: string, key: string, env: Env): Promise<string | null> {
  const hash = await store.records.getBundleRef(kind, key);
  return hash ? fetchFolderBundle(store.artifacts, hash, bundleCacheDir(env)) : null;
}

/** The task's folder on this machine: its bundle (shared), the folder its client named (embedded), or legacy `dir`. */
export async function taskDirFor(store: CampaignStore, task: TaskRef, env: Env = process.env): Promise<string> {
  if (sharedArtifacts(env)) {
    const bundle = await fetched(store, 'task', task.hash, env);
    if (bundle) return bundle;
  }
  // Embedded: this machine's own folder (a missing one fails loading, naming it).
  const local = await store.records.getBundleRef('task-path', task.hash);
  if (local) return local;
  if (task.dir) return task.dir;
  throw new UnpublishedInputError(
    `task ${task.name} (${task.hash.slice(0, 12)}) was never published: start campaigns with \`autoagent run\`, which publishes their tasks`,
  );
}

/**
 * A candidate's folder on this machine: `harnesses/<id>/` of the campaign (workerHome) when it is here (the folder is
 * content-addressed: when it is here it is the right one), else its published bundle, else a legacy `dir`.
 */
export async function harnessDirFor(
  store: CampaignStore,
  campaignDir: string,
  id: string,
  env: Env = process.env,
  legacyDir?: string,
): Promise<string> {
  const local = harnessDir(workerHome(campaignDir, env), id);
  if (await exists(local)) return local;
  if (legacyDir && (await exists(legacyDir))) return legacyDir;
  if (sharedArtifacts(env)) return (await fetched(store, 'harness', id, env)) ?? local;
  return local;
}

/** The seed harness's folder on this machine: its published bundle, or (legacy plans) the client's folder. */
export async function seedDirFor(store: CampaignStore, plan: CampaignPlan, env: Env = process.env): Promise<string> {
  if (plan.seedBundle) return fetchFolderBundle(store.artifacts, plan.seedBundle, bundleCacheDir(env));
  if (!plan.seedHarness) throw new UnpublishedInputError('the plan names no seed harness (seedBundle)');
  if (!sharedArtifacts(env)) return plan.seedHarness;
  return (await fetched(store, 'path', pathKey(plan.name, plan.seedHarness), env)) ?? plan.seedHarness;
}

/**
 * Legacy plans name program.md by path: the file as the last `run` published it for workers elsewhere, or
 * null (embedded, or never published: read it here). A store that cannot answer throws (retried).
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
