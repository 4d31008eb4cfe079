/**
 * References instead of paths (src/store/references.ts): with a shared artifact store, what the client
 * publishes (tasks by content hash, the seed by path, program.md) and what a worker materializes (a
 * harness by id) is found again from another machine's point of view — the client's files gone — and
 * comes back byte-identical, file modes included. Embedded (no shared store), paths are used as given.
 */
import { chmod, mkdtemp, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  clientDirFor,
  halfSharedStores,
  harnessDirFor,
  publishCampaignInputs,
  publishHarness,
  publishedFileText,
  taskDirFor,
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

test("a worker without the client's files gets the tasks, the seed and program.md from the shared stores", async () => {
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
  expect(await publishCampaignInputs(store, p, env)).toEqual({ tasks: 1 });

  // Another machine: none of the client's files exist there.
  await rename(client, `${client}-elsewhere`);
  const fetchedTask = await taskDirFor(store, task, env);
  expect(fetchedTask.startsWith(env.AUTOAGENT_CACHE_DIR as string)).toBe(true);
  expect(await readFile(path.join(fetchedTask, 'instruction.md'), 'utf8')).toBe('Write alpha.\n');
  expect((await stat(path.join(fetchedTask, 'tests/test.sh'))).mode & 0o111).not.toBe(0);
  const fetchedSeed = await clientDirFor(store, 'refs', seed, env);
  expect(await readFile(path.join(fetchedSeed, 'system.md'), 'utf8')).toBe('hi\n');
  expect(await publishedFileText(store, 'refs', program, env)).toBe('Improve the agent.\n');
  // A path another campaign published is not this campaign's.
  expect(await clientDirFor(store, 'other', seed, env)).toBe(seed);
  expect(await publishedFileText(store, 'other', program, env)).toBeNull();
  await rename(`${client}-elsewhere`, client);

  // The next `run` republishes a changed program: the latest wins, as when the file is read in place.
  await writeFile(program, 'Be terse.\n');
  await publishCampaignInputs(store, p, env);
  expect(await publishedFileText(store, 'refs', program, env)).toBe('Be terse.\n');
});

test('a materialized harness is found by its id on a machine where its folder is missing', async () => {
  const dir = await writeFolder(path.join(root, 'worker-a', 'harnesses', 'h-123'), {
    'harness.yaml': 'model: m\n',
    'tools/run.sh': '#!/bin/sh\n',
  });
  await chmod(path.join(dir, 'tools/run.sh'), 0o755);
  await publishHarness(store, { id: 'h-123', dir, complexity: 1 }, env);
  const elsewhere = path.join(root, 'worker-b', 'harnesses', 'h-123');
  const got = await harnessDirFor(store, elsewhere, env);
  expect(got).not.toBe(elsewhere);
  expect(await readFile(path.join(got, 'harness.yaml'), 'utf8')).toBe('model: m\n');
  expect((await stat(path.join(got, 'tools/run.sh'))).mode & 0o111).not.toBe(0);
  // A folder that is present is used as it is (content-addressed by id), and an unknown id stays a path.
  expect(await harnessDirFor(store, dir, env)).toBe(dir);
  const unknown = path.join(root, 'nowhere', 'harnesses', 'h-unknown');
  expect(await harnessDirFor(store, unknown, env)).toBe(unknown);
});

test('embedded (no shared artifact store): every path is used as given and nothing is published', async () => {
  const local = { AUTOAGENT_CACHE_DIR: env.AUTOAGENT_CACHE_DIR as string };
  const task = { name: 'beta', dir: '/nonexistent/beta', hash: 'task-hash-beta' };
  expect(await publishCampaignInputs(store, plan({ train: [task], seedHarness: '/nonexistent/seed' }), local)).toEqual({
    tasks: 0,
  });
  expect(await taskDirFor(store, task, local)).toBe('/nonexistent/beta');
  expect(await harnessDirFor(store, '/nonexistent/harnesses/h-123', local)).toBe('/nonexistent/harnesses/h-123');
  expect(await store.records.getBundleRef('task', 'task-hash-beta')).toBeNull();
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
