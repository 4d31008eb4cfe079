/**
 * `autoagent eval --out DIR` writes a Harbor job folder — DIR/{config.json, result.json, <trial>/{config.json,
 * result.json, agent/trajectory.json, verifier/…}} — that Harbor's own models (pinned harbor in .tools/harbor)
 * read: JobConfig, JobResult, TrialConfig, TrialResult, Trajectory, with no key Harbor would drop. The built
 * CLI runs real Docker trials of tiny tasks: the oracle passing, a task whose image cannot be built (an
 * exception in Harbor's terms), the no-op agent. Fails (never skips) without Docker or the Harbor venv.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { harborValidate } from '../support/harbor';
import { ensureBuilt, jsonLines, runCli } from './support/cli';

const NO_API = 'http://127.0.0.1:9';
let tmp = '';

async function task(root: string, name: string, dockerfile: string): Promise<void> {
  const dir = path.join(root, name);
  const put = async (rel: string, text: string, mode = 0o644): Promise<void> => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text, { mode });
  };
  await put(
    'task.toml',
    'version = "1.0"\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n[verifier]\ntimeout_sec = 30\n',
  );
  await put('instruction.md', 'Write "hello" to /app/out.txt.\n');
  await put('environment/Dockerfile', dockerfile);
  await put(
    'tests/test.sh',
    'if [ "$(cat /app/out.txt 2>/dev/null)" = hello ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n',
    0o755,
  );
  await put('solution/solve.sh', 'echo hello > /app/out.txt\n', 0o755);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const readJson = async (file: string): Promise<Json> => JSON.parse(await readFile(file, 'utf8')) as Json;

beforeAll(async () => {
  await ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-harbor-job-'));
  await task(path.join(tmp, 'bench'), 'hello-file', 'FROM debian:bookworm-slim\nWORKDIR /app\n');
  await task(
    path.join(tmp, 'bench'),
    'broken-env',
    `FROM debian:bookworm-slim\nRUN echo harbor-job-boom-${Date.now()} && false\n`,
  );
}, 240_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the oracle over two tasks × 2 repeats: a job folder Harbor reads, with its statistics', async () => {
  const out = path.join(tmp, 'jobs', 'oracle-job');
  const r = await runCli(
    ['eval', path.join(tmp, 'bench'), '--agent', 'oracle', '--repeats', '2', '--json', '--out', out],
    { baseUrl: NO_API, temporal: false },
    200_000,
  );
  expect(r.code).toBe(0);
  const trials = jsonLines(r.stdout, { strict: true }).slice(0, -1);
  expect(trials).toHaveLength(4);

  const report = await harborValidate([out]);
  expect(report.errors).toEqual([]);
  const models = report.checked.map(([, m]) => m).sort();
  expect(models).toEqual(
    [
      'JobConfig',
      'JobResult',
      ...Array(4).fill('Trajectory'),
      ...Array(4).fill('TrialConfig'),
      ...Array(4).fill('TrialResult'),
    ].sort(),
  );

  // The numbers Harbor reads are ours.
  const passed = trials
    .filter((t) => t['task'] === 'hello-file')
    .map((t) => String(t['trialId']))
    .sort();
  const broken = trials
    .filter((t) => t['task'] === 'broken-env')
    .map((t) => String(t['trialId']))
    .sort();
  const job = await readJson(path.join(out, 'result.json'));
  expect(job).toMatchObject({ n_total_trials: 4, stats: { n_completed_trials: 4, n_errored_trials: 2 } });
  const evals = job['stats']['evals']['oracle__adhoc'];
  expect(evals).toMatchObject({ n_trials: 2, n_errors: 2, metrics: [{ mean: 1 }] });
  expect(evals['reward_stats']['reward']['1'].sort()).toEqual(passed);
  expect(evals['exception_stats']['ImageBuildError'].sort()).toEqual(broken);
  const config = await readJson(path.join(out, 'config.json'));
  expect(config).toMatchObject({
    job_name: 'oracle-job',
    jobs_dir: path.join(tmp, 'jobs'),
    n_attempts: 2,
    agents: [{ name: 'oracle' }],
  });
  expect(config['tasks'].map((t: { path: string }) => path.basename(t.path)).sort()).toEqual([
    'broken-env',
    'hello-file',
  ]);

  const ok = await readJson(path.join(out, passed[0]!, 'result.json'));
  expect(ok).toMatchObject({
    task_name: 'hello-file',
    trial_name: passed[0],
    verifier_result: { rewards: { reward: 1 } },
    exception_info: null,
    agent_info: { name: 'oracle', model_info: null },
  });
  const bad = await readJson(path.join(out, broken[0]!, 'result.json'));
  expect(bad).toMatchObject({ verifier_result: null, exception_info: { exception_type: 'ImageBuildError' } });
  expect(await readFile(path.join(out, broken[0]!, 'exception.txt'), 'utf8')).toMatch(/^ImageBuildError: /);
  expect(await readdir(path.join(out, passed[0]!, 'verifier'))).toEqual(['reward.txt', 'test-stdout.txt']);
}, 240_000);

test('the no-op agent: its trajectory has the one step Harbor requires, and reward 0 is a reward', async () => {
  const out = path.join(tmp, 'jobs', 'noop-job');
  const r = await runCli(
    ['eval', path.join(tmp, 'bench', 'hello-file'), '--agent', 'noop', '--out', out],
    { baseUrl: NO_API, temporal: false },
    120_000,
  );
  expect(r.code).toBe(0);
  const report = await harborValidate([out]);
  expect(report.errors).toEqual([]);
  expect(report.checked).toHaveLength(5);
  const job = await readJson(path.join(out, 'result.json'));
  expect(job['stats']['evals']['nop__adhoc']).toMatchObject({ n_trials: 1, n_errors: 0, metrics: [{ mean: 0 }] });
}, 180_000);
