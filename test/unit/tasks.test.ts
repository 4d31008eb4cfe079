/**
 * Harbor task loader: the real starter benchmark loads; broken task folders (built in tmp dirs) fail with a
 * TaskLoadError naming the file and field; TB2-style size strings parse; the content hash is stable.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TaskLoadError } from '../../src/tasks/errors';
import { taskHash } from '../../src/tasks/hash';
import { loadBenchmark, loadTask } from '../../src/tasks/load';
import { parseSizeMb } from '../../src/tasks/sizes';
import { useTmpDir } from '../support/tmp-dir';

const STARTER = path.resolve(__dirname, '../../benchmarks/tasks/starter');
const BASE_LINE_1 = 'FROM debian:bookworm-slim';
const BASE_LINE_2 =
  'RUN apt-get update && apt-get install -y --no-install-recommends python3 sqlite3 git make gcc libc6-dev ca-certificates && rm -rf /var/lib/apt/lists/*';

const tmp = useTmpDir('tasks-test-');

/** Writes a minimal valid task; `files` overrides (null deletes) individual files. */
async function makeTask(name: string, files: Record<string, string | null> = {}): Promise<string> {
  const dir = path.join(tmp(), name);
  const all: Record<string, string | null> = {
    'task.toml': 'version = "1.0"\n[verifier]\ntimeout_sec = 60.0\n',
    'instruction.md': 'Do the thing.\n',
    'environment/Dockerfile': 'FROM debian:bookworm-slim\n',
    'tests/test.sh': '#!/bin/bash\necho 1 > /logs/verifier/reward.txt\n',
    ...files,
  };
  for (const [rel, content] of Object.entries(all)) {
    if (content === null) continue;
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return dir;
}

async function loadError(dir: string): Promise<TaskLoadError> {
  const err: unknown = await loadTask(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TaskLoadError);
  return err as TaskLoadError;
}

describe('starter benchmark', () => {
  it('loads at least 10 tasks, each complete, offline, with the shared Dockerfile prefix', async () => {
    const tasks = await loadBenchmark(STARTER);
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    expect(tasks.map((t) => t.name)).toEqual([...tasks.map((t) => t.name)].sort());
    for (const t of tasks) {
      expect(t.name).toBe(path.basename(t.dir));
      expect(t.instruction.trim().length).toBeGreaterThan(50);
      expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(t.paths.solveScript).not.toBeNull();
      expect(t.config.environment).toMatchObject({ allowInternet: false, cpus: 1, memoryMb: 1024, dockerImage: null });
      const lines = (await fs.readFile(t.paths.dockerfile!, 'utf8')).split('\n');
      expect(lines.slice(0, 3)).toEqual([BASE_LINE_1, BASE_LINE_2, 'WORKDIR /app']);
      const test = await fs.readFile(t.paths.testScript, 'utf8');
      expect(test).toContain('/logs/verifier/reward.txt');
    }
    expect(new Set(tasks.map((t) => t.hash)).size).toBe(tasks.length);
  });

  it('treats a folder with task.toml as a one-task benchmark', async () => {
    const one = await loadBenchmark(path.join(STARTER, 'csv-sales-summary'));
    expect(one.map((t) => t.name)).toEqual(['csv-sales-summary']);
  });
});

describe('loadTask', () => {
  it('applies defaults and fills paths', async () => {
    const dir = await makeTask('plain', { 'task.toml': '' });
    const t = await loadTask(dir);
    expect(t.dir).toBe(dir);
    expect(t.name).toBe('plain');
    expect(t.instruction).toBe('Do the thing.\n');
    expect(t.config.version).toBe('1.0');
    expect(t.config.verifier.timeoutSec).toBe(600);
    expect(t.config.agent.timeoutSec).toBe(600);
    expect(t.config.environment).toEqual({
      buildTimeoutSec: 600,
      cpus: 1,
      memoryMb: 2048,
      storageMb: 10240,
      allowInternet: true,
      dockerImage: null,
      workdir: null,
      networkMode: 'public',
      allowedHosts: [],
      env: {},
      healthcheck: null,
      gpus: 0,
      gpuTypes: [],
      os: 'linux',
    });
    expect(t.paths.dockerfile).toBe(path.join(dir, 'environment', 'Dockerfile'));
    expect(t.paths.testScript).toBe(path.join(dir, 'tests', 'test.sh'));
    expect(t.paths.solutionDir).toBeNull();
    expect(t.paths.solveScript).toBeNull();
  });

  it('reads a Terminal-Bench 2 style task.toml unchanged (size strings, prebuilt image, unknown keys)', async () => {
    const toml = [
      'version = "1.0"',
      '[metadata]',
      'author_name = "someone"',
      'difficulty = "medium"',
      'category = "software-engineering"',
      'tags = ["x"]',
      'expert_time_estimate_min = 45.0',
      '[verifier]',
      'timeout_sec = 900.0',
      '[agent]',
      'timeout_sec = 1800.0',
      '[environment]',
      'build_timeout_sec = 600.0',
      'docker_image = "alexgshaw/regex-log:20251031"',
      'cpus = 2',
      'memory = "2G"',
      'storage = "10G"',
      'gpus = 0',
      '[environment.healthcheck]',
      'command = "true"',
      '[future_section]',
      'anything = [1, 2]',
    ].join('\n');
    const t = await loadTask(await makeTask('tb2', { 'task.toml': toml, 'environment/Dockerfile': null }));
    expect(t.paths.dockerfile).toBeNull();
    expect(t.config.environment).toMatchObject({
      dockerImage: 'alexgshaw/regex-log:20251031',
      cpus: 2,
      memoryMb: 2048,
      storageMb: 10240,
    });
    expect(t.config.verifier.timeoutSec).toBe(900);
    expect(t.config.agent.timeoutSec).toBe(1800);
    expect(t.config.metadata).toMatchObject({ difficulty: 'medium', expert_time_estimate_min: 45 });
    expect(t.config.raw).toMatchObject({ future_section: { anything: [1, 2] }, environment: { gpus: 0 } });
  });

  it('reads the newer Harbor [task] package section and schema_version', async () => {
    const toml = [
      'schema_version = "1.2"',
      '[task]',
      'name = "acme/hello"',
      'description = "Say hello"',
      'keywords = ["demo"]',
      'authors = [{ name = "Ann", email = "ann@example.com" }, "Bob"]',
      '[environment]',
      'memory_mb = 4096',
      'memory = "1G"',
      'allow_internet = true',
      'workdir = "/srv"',
    ].join('\n');
    const t = await loadTask(await makeTask('pkg', { 'task.toml': toml }));
    expect(t.name).toBe('acme/hello');
    expect(t.config.version).toBe('1.2');
    expect(t.config.task).toEqual({
      name: 'acme/hello',
      description: 'Say hello',
      keywords: ['demo'],
      authors: [{ name: 'Ann', email: 'ann@example.com' }, { name: 'Bob' }],
    });
    // The explicit memory_mb wins over the older string form.
    expect(t.config.environment).toMatchObject({ memoryMb: 4096, allowInternet: true, workdir: '/srv' });
  });

  it.each([
    ['[verifier]\ntimeout_sec = "abc"\n', '[verifier].timeout_sec', 'expected a number, got "abc"'],
    ['[agent]\ntimeout_sec = -5\n', '[agent].timeout_sec', 'must be > 0, got -5'],
    ['[environment]\ncpus = "two"\n', '[environment].cpus', 'expected a number, got "two"'],
    ['[environment]\nallow_internet = "yes"\n', '[environment].allow_internet', 'expected a boolean, got "yes"'],
    ['[environment]\nmemory = "lots"\n', '[environment].memory', 'expected megabytes or a size like "2G", got "lots"'],
    ['[environment]\ndocker_image = 7\n', '[environment].docker_image', 'expected a string, got 7'],
    ['verifier = 3\n', 'verifier', 'expected a table, got 3'],
    ['[task]\nkeywords = "a,b"\n', '[task].keywords', 'expected an array, got "a,b"'],
  ])('rejects %j naming file and field', async (toml, field, detail) => {
    const dir = await makeTask('bad', { 'task.toml': toml });
    const err = await loadError(dir);
    expect(err.name).toBe('TaskLoadError');
    expect(err.file).toBe(path.join(dir, 'task.toml'));
    expect(err.field).toBe(field);
    expect(err.message).toContain(`task.toml: ${field}: ${detail}`);
  });

  it('reports TOML syntax errors with file and line', async () => {
    const dir = await makeTask('syntax', { 'task.toml': 'version = "1.0"\n[verifier\n' });
    const err = await loadError(dir);
    expect(err.file).toBe(path.join(dir, 'task.toml'));
    expect(err.message).toMatch(/task\.toml: invalid TOML \(line 2, column \d+\)/);
  });

  it('requires task.toml, a non-empty instruction.md and tests/test.sh', async () => {
    let dir = await makeTask('no-toml', { 'task.toml': null });
    expect((await loadError(dir)).file).toBe(path.join(dir, 'task.toml'));

    dir = await makeTask('no-instr', { 'instruction.md': null });
    let err = await loadError(dir);
    expect(err.file).toBe(path.join(dir, 'instruction.md'));
    expect(err.message).toContain('instruction.md is missing');

    dir = await makeTask('empty-instr', { 'instruction.md': '  \n\n' });
    err = await loadError(dir);
    expect(err.file).toBe(path.join(dir, 'instruction.md'));
    expect(err.message).toContain('instruction.md is empty');

    dir = await makeTask('no-tests', { 'tests/test.sh': null });
    err = await loadError(dir);
    expect(err.file).toBe(path.join(dir, 'tests', 'test.sh'));
  });

  it('requires a Dockerfile or [environment].docker_image', async () => {
    const dir = await makeTask('no-env', { 'environment/Dockerfile': null });
    const err = await loadError(dir);
    expect(err.file).toBe(path.join(dir, 'environment', 'Dockerfile'));
    expect(err.field).toBe('[environment].docker_image');
    expect(err.message).toContain('no environment/Dockerfile, and task.toml sets no [environment].docker_image');
  });
});

describe('loadBenchmark', () => {
  it('loads subfolders with task.toml sorted by name and ignores other folders', async () => {
    await makeTask('b-task');
    await makeTask('a-task');
    await fs.mkdir(path.join(tmp(), 'not-a-task'));
    const tasks = await loadBenchmark(tmp());
    expect(tasks.map((t) => t.name)).toEqual(['a-task', 'b-task']);
  });

  it('errors on an empty folder, naming it', async () => {
    const err: unknown = await loadBenchmark(tmp()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskLoadError);
    expect((err as TaskLoadError).file).toBe(tmp());
    expect((err as TaskLoadError).message).toContain(`${tmp()}: no tasks found`);
  });

  it('errors on a missing folder and on duplicate task names', async () => {
    await expect(loadBenchmark(path.join(tmp(), 'nope'))).rejects.toThrow(/benchmark folder does not exist/);
    const named = 'version = "1.0"\n[task]\nname = "same/name"\n';
    await makeTask('one', { 'task.toml': named });
    await makeTask('two', { 'task.toml': named });
    await expect(loadBenchmark(tmp())).rejects.toThrow(/\[task\]\.name: duplicate task name "same\/name"/);
  });
});

describe('parseSizeMb', () => {
  it.each([
    ['2G', 2048],
    ['512M', 512],
    ['1.5G', 1536],
    ['10GB', 10240],
    ['4Gi', 4096],
    ['2048', 2048],
    [' 1t ', 1048576],
    ['2048K', 2],
  ])('%j -> %d MB', (input, mb) => {
    expect(parseSizeMb(input)).toBe(mb);
  });
  it.each(['', 'lots', '2X', '-1G', '0M', 'G'])('rejects %j', (input) => {
    expect(parseSizeMb(input)).toBeNull();
  });
});

describe('taskHash', () => {
  it('is stable, and changes with content, file names and new files', async () => {
    const dir = await makeTask('h');
    const h1 = await taskHash(dir);
    expect(await taskHash(dir)).toBe(h1);
    expect((await loadTask(dir)).hash).toBe(h1);

    const copy = await makeTask('h-copy');
    expect(await taskHash(copy)).toBe(h1); // same bytes at the same relative paths, different folder

    await fs.writeFile(path.join(dir, 'instruction.md'), 'Do the thing!\n');
    const h2 = await taskHash(dir);
    expect(h2).not.toBe(h1);

    await fs.rename(path.join(dir, 'instruction.md'), path.join(dir, 'instruction2.md'));
    const h3 = await taskHash(dir);
    expect(h3).not.toBe(h2);

    await fs.writeFile(path.join(dir, 'tests', 'extra.txt'), '');
    expect(await taskHash(dir)).not.toBe(h3);
  });
});
