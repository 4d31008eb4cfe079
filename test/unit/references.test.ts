/**
 * References instead of paths (src/store/references.ts): what the client publishes (tasks by content hash,
 * the seed and program.md as artifacts) and what a worker materializes (a harness by id) is found again from
 * another machine's point of view — the client's files gone — byte-identical, file modes included; the plan
 * the workflow gets names none of the client's paths. Embedded, the local store keeps where the tasks are.
 */
import { chmod, mkdtemp, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  UnpublishedInputError,
  halfSharedStores,
  harnessDirFor,
  publishCampaignInputs,
  publishHarness,
  seedDirFor,
  taskDirFor,
  workerHome,
} from '../../src/store/references';
import { openStore, type CampaignStore } from '../../src/store/store';
import type { CampaignPlan } from '../../src/workflows/types';

let root: string;
let env: Record<string, string>;
let store: CampaignStore;

async function writeFolder(dir: string, files: Record<string, string>): Promise<string> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'aa-refs-'));
  env = {
    AUTOAGENT_ARTIFACTS: `file:${path.join(root, 'shared')}`,
    AUTOAGENT_STORE: `sqlite:${path.join(root, 'shared', 'records.sqlite')}`,
    AUTOAGENT_CACHE_DIR: path.join(root, 'worker-cache'),
  };
  store = await openStore(path.join(root, 'client', 'campaign'), { env });
});
afterAll(() => store.close());

const plan = (over: Partial<CampaignPlan>): CampaignPlan =>
  ({
    name: 'refs',
    campaignDir: path.join(root, 'client', 'campaign'),
    train: [],
    holdout: [],
    hints: [],
    ...over,
  }) as CampaignPlan;

/** Every string in a plan that names a path under `dir`. */
const pathsUnder = (value: unknown, dir: string): string[] =>
  JSON.stringify(value)
    .split('"')
    .filter((s) => s.startsWith(dir));

test("the plan the workflow gets is references only; a worker without the client's files resolves them all", async () => {
  const client = path.join(root, 'client');
  const taskDir = await writeFolder(path.join(client, 'tasks', 'alpha'), {
    'task.toml': 'version = "1.0"\n',
    'instruction.md': 'Write alpha.\n',
    'tests/test.sh': '#!/bin/bash\necho 1 > /logs/verifier/reward.txt\n',
  });
  await chmod(path.join(taskDir, 'tests/test.sh'), 0o755);
  const seed = await writeFolder(path.join(client, 'seed'), { 'harness.yaml': 'model: m\n', 'system.md': 'hi\n' });
  const program = path.join(client, 'program.md');
  await writeFile(program, 'Improve the agent.\n');
  const task = { name: 'alpha', dir: taskDir, hash: 'task-hash-alpha' };
  const p = plan({ train: [task], holdout: [task], seedHarness: seed, meta: { programPath: program, model: null } });
  const published = await publishCampaignInputs(store, p, env);
  expect(published.tasks).toBe(1);
  // Only the campaign's home (its local store's folder) is a path; nothing of the tasks, seed or program.
  expect(pathsUnder({ ...published.plan, campaignDir: '' }, root)).toEqual([]);
  expect(published.plan.train).toEqual([{ name: 'alpha', hash: 'task-hash-alpha' }]);
  expect(published.plan.seedBundle).toMatch(/^[0-9a-f]{64}$/);
  expect(published.plan.meta).toEqual({ model: null, programHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

  // Another machine: none of the client's files exist there.
  await rename(client, `${client}-elsewhere`);
  const fetchedTask = await taskDirFor(store, published.plan.train[0]!, env);
  expect(fetchedTask.startsWith(env.AUTOAGENT_CACHE_DIR as string)).toBe(true);
  expect(await readFile(path.join(fetchedTask, 'instruction.md'), 'utf8')).toBe('Write alpha.\n');
  expect((await stat(path.join(fetchedTask, 'tests/test.sh'))).mode & 0o111).not.toBe(0);
  const fetchedSeed = await seedDirFor(store, published.plan, env);
  expect(await readFile(path.join(fetchedSeed, 'system.md'), 'utf8')).toBe('hi\n');
  expect(await store.getArtifactText(published.plan.meta!.programHash!)).toBe('Improve the agent.\n');
  await rename(`${client}-elsewhere`, client);

  // The next `run` republishes a changed program: the latest wins, as when the file is read in place.
  await writeFile(program, 'Be terse.\n');
  const again = await publishCampaignInputs(store, p, env);
  expect(await store.getArtifactText(again.plan.meta!.programHash!)).toBe('Be terse.\n');
  // A plan already published passes through unchanged.
  expect((await publishCampaignInputs(store, again.plan, env)).plan).toEqual(again.plan);
});

test('a materialized harness is found by its id on a machine where its folder is missing', async () => {
  // With shared stores a worker keeps a campaign's files in its own cache (workerHome), not the client's folder.
  const campaignA = path.join(root, 'worker-a', 'campaign');
  expect(workerHome(campaignA, env)).toBe(path.join(env.AUTOAGENT_CACHE_DIR as string, 'campaigns', 'campaign'));
  expect(workerHome(campaignA, {})).toBe(campaignA);
  const dir = await writeFolder(path.join(root, 'worker-a', 'harnesses', 'h-123'), {
    'harness.yaml': 'model: m\n',
    'tools/run.sh': '#!/bin/sh\n',
  });
  await chmod(path.join(dir, 'tools/run.sh'), 0o755);
  await publishHarness(store, { id: 'h-123', dir }, env);
  const campaignB = path.join(root, 'worker-b', 'other-campaign');
  const got = await harnessDirFor(store, campaignB, 'h-123', env);
  expect(got.startsWith(env.AUTOAGENT_CACHE_DIR as string)).toBe(true);
  expect(await readFile(path.join(got, 'harness.yaml'), 'utf8')).toBe('model: m\n');
  expect((await stat(path.join(got, 'tools/run.sh'))).mode & 0o111).not.toBe(0);
  // A folder that is present is used as it is (content-addressed by id); an unknown id names where it would be.
  const home = await writeFolder(path.join(workerHome(campaignB, env), 'harnesses', 'h-here'), {
    'harness.yaml': 'x\n',
  });
  expect(await harnessDirFor(store, campaignB, 'h-here', env)).toBe(home);
  expect(await harnessDirFor(store, campaignB, 'h-unknown', env)).toBe(
    path.join(workerHome(campaignB, env), 'harnesses', 'h-unknown'),
  );
});

test('embedded (no shared artifact store): the local store keeps where each task is; nothing is bundled', async () => {
  const local = { AUTOAGENT_CACHE_DIR: env.AUTOAGENT_CACHE_DIR as string };
  const betaDir = await writeFolder(path.join(root, 'embedded', 'beta'), { 'task.toml': 'version = "1.0"\n' });
  const seed = await writeFolder(path.join(root, 'embedded', 'seed'), { 'harness.yaml': 'model: m\n' });
  const task = { name: 'beta', dir: betaDir, hash: 'task-hash-beta' };
  const published = await publishCampaignInputs(store, plan({ train: [task], seedHarness: seed }), local);
  expect(published.plan.train).toEqual([{ name: 'beta', hash: 'task-hash-beta' }]);
  expect(await taskDirFor(store, published.plan.train[0]!, local)).toBe(betaDir);
  expect(await store.records.getBundleRef('task', 'task-hash-beta')).toBeNull();
  // A reference nothing resolves is an error that says how campaigns publish their inputs.
  await expect(taskDirFor(store, { name: 'gamma', hash: 'task-hash-gamma' }, local)).rejects.toThrow(
    UnpublishedInputError,
  );
  // Plans from before references name the folder: it is used as given.
  expect(await taskDirFor(store, { name: 'delta', hash: 'h-d', dir: '/legacy/delta' }, local)).toBe('/legacy/delta');
  expect(await seedDirFor(store, plan({ seedHarness: '/legacy/seed' }), local)).toBe('/legacy/seed');
});

test('half-shared stores (one shared, the other local) are named, with the variable to set', () => {
  expect(halfSharedStores({})).toBeNull();
  expect(halfSharedStores({ AUTOAGENT_STORE: 'postgres://u:p@h/db', AUTOAGENT_ARTIFACTS: 's3://b/p' })).toBeNull();
  expect(halfSharedStores({ AUTOAGENT_ARTIFACTS: 's3://b/p' })).toMatch(/set AUTOAGENT_STORE=postgres/);
  expect(halfSharedStores({ AUTOAGENT_ARTIFACTS: 's3://b/p', AUTOAGENT_STORE: 'sqlite:/x.sqlite' })).toMatch(
    /local SQLite file/,
  );
  expect(halfSharedStores({ AUTOAGENT_STORE: 'postgres://u:p@h/db' })).toMatch(/set AUTOAGENT_ARTIFACTS=s3:/);
});
