/**
 * Sandbox overhead benchmark: the trial lifecycle with a no-op agent on a cached image, through our
 * DockerSandboxProvider + runVerifier, against the same steps done with the raw docker CLI, interleaved
 * (alternating which goes first) so both see the same machine load. Goal: ours ≤ 1.15× raw.
 *   ours: start → exec `true` → verify (copy tests, run test.sh, read reward) → remove
 *   raw:  docker run -d → docker exec true → docker cp tests → docker exec test.sh → docker cp reward → docker rm -f
 * Run: npm run build && node dist/benchmarks/perf/sandbox-overhead.js [iterations=20]
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { loadTask } from '../../src/tasks/load';
import type { Task } from '../../src/tasks/types';
import { runVerifier } from '../../src/verifier/verify';

const sh = promisify(execFile);
const docker = async (...args: string[]): Promise<string> => (await sh('docker', args, { maxBuffer: 1 << 20 })).stdout;

async function makeBenchTask(): Promise<Task> {
  // A fixed task name keeps the image tag stable across runs (the cache is what we measure against).
  const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'aa-perf-')), 'sandbox-overhead');
  const w = (rel: string, text: string): Promise<void> =>
    fs
      .mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
      .then(() => fs.writeFile(path.join(dir, rel), text));
  await w('task.toml', 'version = "1.0"\n[environment]\nmemory_mb = 512\ncpus = 1\n');
  await w('instruction.md', 'Nothing to do.\n');
  await w('environment/Dockerfile', 'FROM debian:bookworm-slim\nWORKDIR /app\n');
  await w('tests/test.sh', 'test -f /tests/fixture.txt && echo 1 > /logs/verifier/reward.txt\n');
  await w('tests/fixture.txt', 'fixture\n');
  return loadTask(dir);
}

async function ours(provider: DockerSandboxProvider, task: Task, image: string, i: number): Promise<number> {
  const t0 = performance.now();
  const box = await provider.start(task, { image, trialId: `perf-ours-${i}` });
  try {
    await box.exec('true');
    const v = await runVerifier(box, task);
    if (v.reward !== 1) throw new Error(`ours: unexpected reward ${v.reward} (${v.reason})`);
  } finally {
    await box.remove();
  }
  return performance.now() - t0;
}

async function raw(task: Task, image: string, i: number): Promise<number> {
  const t0 = performance.now();
  const id = (
    await docker(
      'run',
      '-d',
      '--init',
      '--label',
      'autoagent=1',
      '--label',
      `autoagent.trial=perf-raw-${i}`,
      '--network',
      'none',
      '--cpus',
      '1',
      '--memory',
      '512m',
      '--memory-swap',
      '512m',
      '--pids-limit',
      '512',
      '--entrypoint',
      'sh',
      image,
      '-c',
      'sleep infinity',
    )
  ).trim();
  try {
    await docker('exec', id, 'true');
    await docker('cp', task.paths.testsDir, `${id}:/tests`);
    await docker('exec', id, 'bash', '-c', 'mkdir -p /logs/verifier && bash /tests/test.sh');
    const reward = await docker('exec', id, 'cat', '/logs/verifier/reward.txt');
    if (reward.trim() !== '1') throw new Error(`raw: unexpected reward ${reward}`);
  } finally {
    await docker('rm', '-f', id);
  }
  return performance.now() - t0;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const p90 = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)]!;

async function run(): Promise<void> {
  const n = Number(process.argv[2] ?? 20);
  if (!Number.isInteger(n) || n < 1) throw new Error(`iterations must be a positive integer, got ${process.argv[2]}`);
  const provider = new DockerSandboxProvider();
  const task = await makeBenchTask();
  const { image } = await provider.ensureImage(task);
  await ours(provider, task, image, -1); // warm-up both paths (first exec, page cache)
  await raw(task, image, -1);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      a.push(await ours(provider, task, image, i));
      b.push(await raw(task, image, i));
    } else {
      b.push(await raw(task, image, i));
      a.push(await ours(provider, task, image, i));
    }
    process.stdout.write(
      `iter ${String(i + 1).padStart(2)}: ours ${a[i]!.toFixed(0).padStart(5)} ms   raw ${b[i]!.toFixed(0).padStart(5)} ms\n`,
    );
  }
  const ma = median(a);
  const mb = median(b);
  console.log(`\n${n} iterations, image ${image}`);
  console.log(`ours (dockerode): median ${ma.toFixed(0)} ms, p90 ${p90(a).toFixed(0)} ms`);
  console.log(`raw docker CLI:   median ${mb.toFixed(0)} ms, p90 ${p90(b).toFixed(0)} ms`);
  console.log(`ratio ours/raw (medians): ${(ma / mb).toFixed(2)}x  (goal <= 1.15x) ${ma / mb <= 1.15 ? 'OK' : 'OVER'}`);
}

run().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
