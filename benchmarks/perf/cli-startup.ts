/**
 * CLI start-up, side by side in one run (interleaved repetitions, rotating which goes first; medians of
 * wall time from spawn to exit of a fresh `node` process, so every figure includes node's own boot):
 *   node -e 0                 — a bare node process, the floor;
 *   autoagent --help          — commander and the command definitions (src/cli/definitions.ts);
 *   autoagent eval --help     — the same plus eval's options: its implementation is not loaded;
 *   eval → first trial        — `eval --agent oracle <tasks>` from launch until it hands its first trial to
 *                               runTrial: loading the eval path, the tasks, the Docker orphan sweep and the
 *                               job's config.json. A preload (-r) exits the process at that call, so no
 *                               sandbox is started; the time to exit is in every figure alike.
 * A measurement, not a test: figures printed, no thresholds. `--cli` runs another build (e.g. an older
 * dist/) for a before/after comparison. Needs Docker (eval sweeps orphaned sandboxes before the first trial).
 * Run: npm run build && node dist/benchmarks/perf/cli-startup.js [repetitions=10] [tasks=benchmarks/tasks/starter] [--cli dist/src/cli/main.js]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// Exits with 0 when eval hands its first trial to runTrial (eval's `import { runTrial } from '../../trial/run-trial'`).
const FIRST_TRIAL_HOOK = `
const Module = require('module');
const load = Module._load;
Module._load = function (request) {
  const m = load.apply(this, arguments);
  if (typeof request === 'string' && request.endsWith('trial/run-trial') && !m.__firstTrialHook) {
    m.__firstTrialHook = true;
    m.runTrial = async () => { process.stdout.write('first-trial\\n'); process.exit(0); };
  }
  return m;
};
`;

function args(): { reps: number; tasks: string; cli: string } {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--cli');
  const cli = at >= 0 ? argv.splice(at, 2)[1] : undefined;
  const reps = Number(argv[0] ?? 10);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`repetitions must be a positive integer, got ${argv[0]}`);
  return {
    reps,
    tasks: path.resolve(argv[1] ?? path.join(ROOT, 'benchmarks/tasks/starter')),
    cli: path.resolve(cli ?? path.join(ROOT, 'dist/src/cli/main.js')),
  };
}

/** Wall ms of one node process; throws unless it exits 0 (and prints `expect`, when given). */
function timed(nodeArgs: string[], expect?: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, nodeArgs, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0 || (expect && !r.stdout.includes(expect))) {
    throw new Error(
      `node ${nodeArgs.join(' ')} exited ${r.status}${expect ? ` (expected "${expect}")` : ''}:\n${r.stdout}${r.stderr}`,
    );
  }
  return ms;
}

function run(): void {
  const { reps, tasks, cli } = args();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aa-perf-cli-'));
  const hook = path.join(tmp, 'first-trial-hook.js');
  writeFileSync(hook, FIRST_TRIAL_HOOK);
  const out = path.join(tmp, 'out');
  const variants: [string, () => number][] = [
    ['node -e 0', () => timed(['-e', '0'])],
    ['autoagent --help', () => timed([cli, '--help'], 'Usage: autoagent')],
    ['autoagent eval --help', () => timed([cli, 'eval', '--help'], 'Usage: autoagent eval')],
    [
      'eval --agent oracle → first trial',
      () => {
        rmSync(out, { recursive: true, force: true });
        return timed(['-r', hook, cli, 'eval', tasks, '--agent', 'oracle', '--out', out], 'first-trial');
      },
    ],
  ];
  try {
    for (const [, fn] of variants) fn(); // warm-up: the file cache, Docker's first answer
    const times = variants.map(() => [] as number[]);
    for (let i = 0; i < reps; i++) {
      for (let k = 0; k < variants.length; k++) {
        const j = (i + k) % variants.length;
        times[j]!.push(variants[j]![1]());
      }
    }
    const floor = median(times[0]!);
    console.log(
      `cli ${path.relative(process.cwd(), cli) || cli}, tasks ${path.relative(process.cwd(), tasks) || tasks}; ${reps} interleaved repetitions, median wall ms (spawn → exit)`,
    );
    variants.forEach(([name], j) => {
      const m = median(times[j]!);
      const extra = j === 0 ? '' : `   (+${(m - floor).toFixed(0)} over node -e 0)`;
      console.log(
        `  ${name.padEnd(34)} ${m.toFixed(0).padStart(6)}   max ${Math.max(...times[j]!)
          .toFixed(0)
          .padStart(6)}${extra}`,
      );
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

run();
