/**
 * What the verifier's isolation adds to a trial (src/trial/guard.ts), step by step, on a starter task's
 * image (Debian + python3, gcc, git: a realistic layer) after the agent-like work of writing 200 files:
 *   seal = stop (SIGKILL init) + diff (docker diff) + start + process listing
 *   poll = one storage watchdog measurement (inspect with SizeRw); the watchdog runs one per 250 ms at most
 * and end to end, a whole noop trial on the same task: the bare pipeline (start → verify → remove, no guard)
 * against runTrial in shared mode (guard + seal) and in separate mode (a second container, /app copied).
 * Run: npm run build && node dist/benchmarks/perf/isolation-overhead.js [iterations=10] [task=benchmarks/tasks/starter/c-calc-build]
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { loadTask } from '../../src/tasks/load';
import type { Task } from '../../src/tasks/types';
import { sealForVerifier } from '../../src/trial/guard';
import { runTrial } from '../../src/trial/run-trial';
import { runVerifier } from '../../src/verifier/verify';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const max = (xs: number[]): number => Math.max(...xs);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function run(): Promise<void> {
  const n = Number(process.argv[2] ?? 10);
  if (!Number.isInteger(n) || n < 1) throw new Error(`iterations must be a positive integer, got ${process.argv[2]}`);
  const task = await loadTask(process.argv[3] ?? 'benchmarks/tasks/starter/c-calc-build');
  const provider = new DockerSandboxProvider();
  const { image } = await provider.ensureImage(task);
  const steps: Record<'stop' | 'diff' | 'start' | 'procs' | 'seal' | 'poll', number[]> = {
    stop: [],
    diff: [],
    start: [],
    procs: [],
    seal: [],
    poll: [],
  };
  for (let i = 0; i < n; i++) {
    for (const whole of [false, true]) {
      const box = await provider.start(task, { image, trialId: `perf-isolation-${i}-${whole}` });
      try {
        await box.exec(
          'mkdir -p /app/work && for i in $(seq 1 200); do echo $i > /app/work/f$i; done; (setsid sleep 600 &)',
        );
        steps.poll.push(await timed(() => box.writableBytes()));
        if (whole) {
          steps.seal.push(await timed(() => sealForVerifier(box, task)));
        } else {
          steps.stop.push(await timed(() => box.stop()));
          steps.diff.push(await timed(() => box.changes()));
          steps.start.push(await timed(() => box.start()));
          steps.procs.push(await timed(() => box.processes()));
        }
      } finally {
        await box.remove();
      }
    }
  }
  console.log(`${n} iterations, image ${image}`);
  for (const [k, xs] of Object.entries(steps))
    console.log(
      `${k.padEnd(6)} median ${median(xs).toFixed(0).padStart(5)} ms   max ${max(xs).toFixed(0).padStart(5)} ms`,
    );
  await endToEnd(provider, task, image, n);
}

const withMode = (task: Task, mode: 'shared' | 'separate'): Task => ({
  ...task,
  config: { ...task.config, verifier: { ...task.config.verifier, environmentMode: mode } },
});

async function endToEnd(provider: DockerSandboxProvider, task: Task, image: string, n: number): Promise<void> {
  const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'aa-perf-isolation-'));
  const bare = async (i: number): Promise<void> => {
    const box = await provider.start(task, { image, trialId: `perf-bare-${i}` });
    try {
      await runVerifier(box, task);
    } finally {
      await box.remove();
    }
  };
  const trial =
    (mode: 'shared' | 'separate') =>
    async (i: number): Promise<void> => {
      await runTrial({
        task: withMode(task, mode),
        agent: 'noop',
        repeat: i,
        outDir,
        provider,
        trialId: `perf-${mode}-${i}`,
      });
    };
  const runs: Record<string, (i: number) => Promise<void>> = {
    bare,
    shared: trial('shared'),
    separate: trial('separate'),
  };
  const times: Record<string, number[]> = { bare: [], shared: [], separate: [] };
  for (let i = 0; i < n; i++) for (const [k, fn] of Object.entries(runs)) times[k]!.push(await timed(() => fn(i)));
  console.log('\nwhole noop trial (build cached):');
  for (const [k, xs] of Object.entries(times))
    console.log(
      `${k.padEnd(9)} median ${median(xs).toFixed(0).padStart(5)} ms   max ${max(xs).toFixed(0).padStart(5)} ms`,
    );
  await fs.rm(outDir, { recursive: true, force: true });
}

run().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
