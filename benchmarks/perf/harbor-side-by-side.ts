/**
 * Side by side with Harbor on the same tasks: `harbor run -a oracle` (pinned harbor in .tools/harbor)
 * against `autoagent eval --agent oracle`, at equal concurrency, in interleaved rounds (which one goes first
 * alternates, so both see the same machine load) after one unmeasured warm-up round each. Prints trials/min
 * per round and overall, the throughput ratio, and whether both gave the same reward on every task.
 * Both run on a COPY of the tasks with `allow_internet = true`: Harbor refuses `allow_internet = false`
 * tasks under Docker unless it can pull its egress sidecar image, which cannot be reached here.
 * Needs Docker, `bash scripts/setup-harbor.sh --compose` (Harbor drives Docker through the `docker compose`
 * v2 plugin; the script uses .tools/docker-config/cli-plugins when the system has none) and `npm run build`.
 * Exits 1 when the rewards differ. A figure, not a test: the ratio depends on the machine.
 * Run: node dist/benchmarks/perf/harbor-side-by-side.js [tasksDir=benchmarks/tasks/starter] [--concurrency 2] [--rounds 2] [--tasks a,b]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/util/package-root';

const run = promisify(execFile);
const ROOT = packageRoot();
const HARBOR = path.join(ROOT, '.tools/harbor/bin/harbor');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const LOCAL_DOCKER_CONFIG = path.join(ROOT, '.tools/docker-config');

interface Args {
  tasksDir: string;
  concurrency: number;
  rounds: number;
  only: string[] | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { tasksDir: path.join(ROOT, 'benchmarks/tasks/starter'), concurrency: 2, rounds: 2, only: null };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i] as string;
    const next = (): string => argv[++i] ?? '';
    if (v === '--concurrency') a.concurrency = Number(next());
    else if (v === '--rounds') a.rounds = Number(next());
    else if (v === '--tasks') a.only = next().split(',').filter(Boolean);
    else a.tasksDir = path.resolve(v);
  }
  return a;
}

/** Docker environment for Harbor: the system's `docker compose` if it has one, else our plugin folder. */
async function harborEnv(): Promise<NodeJS.ProcessEnv> {
  const ok = (env: NodeJS.ProcessEnv): Promise<boolean> =>
    run('docker', ['compose', 'version'], { env }).then(
      () => true,
      () => false,
    );
  if (await ok(process.env)) return process.env;
  const env = { ...process.env, DOCKER_CONFIG: LOCAL_DOCKER_CONFIG };
  if (await ok(env)) return env;
  throw new Error('Harbor needs the `docker compose` v2 plugin: run `bash scripts/setup-harbor.sh --compose`');
}

/** Copies the tasks, allowing the network (see the header), and returns the copy's folder. */
async function networkedCopy(a: Args): Promise<{ dir: string; tasks: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aa-harbor-sbs-'));
  const tasks = (await readdir(a.tasksDir))
    .filter((t) => existsSync(path.join(a.tasksDir, t, 'task.toml')) && (!a.only || a.only.includes(t)))
    .sort();
  let changed = 0;
  for (const t of tasks) {
    await cp(path.join(a.tasksDir, t), path.join(dir, t), { recursive: true });
    const toml = path.join(dir, t, 'task.toml');
    const text = await readFile(toml, 'utf8');
    const open = text.replace(/^(\s*allow_internet\s*=\s*)false\b/m, '$1true');
    if (open !== text) changed++;
    await writeFile(toml, open);
  }
  console.log(
    `${tasks.length} tasks copied to ${dir}; allow_internet set to true in ${changed} of them (Harbor cannot run them offline here)`,
  );
  return { dir, tasks };
}

interface RunResult {
  seconds: number;
  rewards: Record<string, number | null>;
}

async function harborRun(
  tasksDir: string,
  jobsDir: string,
  name: string,
  concurrency: number,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  const t0 = performance.now();
  await run(
    HARBOR,
    ['run', '-p', tasksDir, '-a', 'oracle', '-o', jobsDir, '--job-name', name, '-n', String(concurrency), '-y', '-q'],
    { env, maxBuffer: 64 << 20 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const rewards: Record<string, number | null> = {};
  const job = path.join(jobsDir, name);
  for (const trial of await readdir(job, { withFileTypes: true })) {
    if (!trial.isDirectory()) continue;
    const r = JSON.parse(await readFile(path.join(job, trial.name, 'result.json'), 'utf8')) as {
      task_name: string;
      verifier_result: { rewards?: Record<string, number> } | null;
    };
    rewards[r.task_name] = r.verifier_result?.rewards?.reward ?? null;
  }
  return { seconds, rewards };
}

async function autoagentRun(tasksDir: string, out: string, concurrency: number): Promise<RunResult> {
  const t0 = performance.now();
  const { stdout } = await run(
    process.execPath,
    [CLI, 'eval', tasksDir, '--agent', 'oracle', '--concurrency', String(concurrency), '--json', '--out', out],
    { maxBuffer: 64 << 20 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const rewards: Record<string, number | null> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const j = JSON.parse(line) as { type: string; task?: string; reward?: number; error?: string | null };
    if (j.type === 'trial' && j.task) rewards[j.task] = j.error && j.reward === 0 ? null : (j.reward ?? null);
  }
  return { seconds, rewards };
}

const perMin = (n: number, s: number): number => (n * 60) / s;

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (!existsSync(HARBOR)) throw new Error(`${HARBOR} is missing: run bash scripts/setup-harbor.sh`);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const env = await harborEnv();
  const version = (await run(HARBOR, ['--version'], { env })).stdout.trim();
  const { dir, tasks } = await networkedCopy(a);
  const work = await mkdtemp(path.join(os.tmpdir(), 'aa-harbor-sbs-out-'));
  console.log(
    `harbor ${version} vs autoagent, oracle agent, ${tasks.length} tasks, concurrency ${a.concurrency}, ${a.rounds} measured round(s)`,
  );
  console.log('warm-up (not measured): builds the images both can reuse');
  await harborRun(dir, path.join(work, 'harbor'), 'warmup', a.concurrency, env);
  await autoagentRun(dir, path.join(work, 'aa-warmup'), a.concurrency);
  const totals = { harbor: 0, autoagent: 0 };
  const mismatches = new Set<string>();
  for (let r = 1; r <= a.rounds; r++) {
    const order = r % 2 === 1 ? (['harbor', 'autoagent'] as const) : (['autoagent', 'harbor'] as const);
    const res: Partial<Record<'harbor' | 'autoagent', RunResult>> = {};
    for (const who of order) {
      res[who] =
        who === 'harbor'
          ? await harborRun(dir, path.join(work, 'harbor'), `round-${r}`, a.concurrency, env)
          : await autoagentRun(dir, path.join(work, `aa-round-${r}`), a.concurrency);
      totals[who] += res[who].seconds;
    }
    for (const t of tasks)
      if (res.harbor?.rewards[t] !== res.autoagent?.rewards[t])
        mismatches.add(`${t} (round ${r}: harbor ${res.harbor?.rewards[t]}, autoagent ${res.autoagent?.rewards[t]})`);
    console.log(
      `round ${r} (${order[0]} first): harbor ${perMin(tasks.length, res.harbor!.seconds).toFixed(1)} trials/min (${res.harbor!.seconds.toFixed(1)} s), ` +
        `autoagent ${perMin(tasks.length, res.autoagent!.seconds).toFixed(1)} trials/min (${res.autoagent!.seconds.toFixed(1)} s)`,
    );
  }
  const n = tasks.length * a.rounds;
  const [h, o] = [perMin(n, totals.harbor), perMin(n, totals.autoagent)];
  console.log(
    `overall: harbor ${h.toFixed(1)} trials/min, autoagent ${o.toFixed(1)} trials/min, ratio ${(o / h).toFixed(2)}x (goal >= 5x)`,
  );
  console.log(
    mismatches.size === 0
      ? `same rewards on every task: yes (${tasks.length} tasks × ${a.rounds} rounds)`
      : `same rewards on every task: NO — ${[...mismatches].join('; ')}`,
  );
  console.log(
    `job folders: ${work}; load average now ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores (a loaded machine flattens the ratio)`,
  );
  if (mismatches.size > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
