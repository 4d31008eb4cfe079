/**
 * The record and artifact stores side by side: `sqlite+file` (the embedded default) against `postgres+s3`
 * (many machines), in one run on one machine.
 *   1. Per-trial store overhead: what the trial activity does to the stores for one trial — the cache
 *      lookup, the trajectory (20 KB) and verifier log put, the record — N times in a row, per back end.
 *   2. The same no-op campaign on a local Temporal dev server (no-op trials and proposals, so the stores and
 *      Temporal are all that costs), rounds interleaved so both see the same machine load: trials/min.
 * Prints both back ends' figures and their ratios. Needs the services scripts/setup-services.sh starts
 * (.tools/services.env: a PostgreSQL server and a SeaweedFS S3 endpoint); each run uses a database and a
 * bucket prefix of its own. A figure, not a test.
 * Run: npm run build && set -a && . .tools/services.env && set +a &&
 *      node dist/benchmarks/perf/store-backends.js [--trials 300] [--generations 6] [--rounds 2]
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { NativeConnection } from '@temporalio/worker';
import { openStore } from '../../src/store/store';
import { startOrAttachCampaign } from '../../src/temporal/client';
import { connectClient } from '../../src/temporal/connection';
import { startDevServer } from '../../src/temporal/dev-server';
import type { TrialResult } from '../../src/trial/types';
import { createWorkers, installWorkerLogger } from '../../src/workers';
import type { CampaignPlan } from '../../src/workflows/types';
import { noopProposer, noopTrial, tasks, writeSeed } from './noop-deps';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const TRIALS = arg('trials', 300);
const GENERATIONS = arg('generations', 6);
const ROUNDS = arg('rounds', 2);

type Backend = { name: string; env: Record<string, string | undefined> };

function required(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(`${name} is not set: source .tools/services.env (bash scripts/setup-services.sh starts them)`);
  return v;
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** Runs `fn` with the back end's variables in process.env (the stores read them when opened). */
async function withBackend<T>(b: Backend, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, b.env);
  for (const [k, v] of Object.entries(b.env)) if (v === undefined) delete process.env[k];
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}

const result = (i: number): TrialResult => ({
  trialId: `bench-${i}`,
  task: `t${i % 25}`,
  agent: 'harness',
  harnessId: 'bench-harness',
  model: 'noop-model',
  repeat: Math.floor(i / 25),
  reward: i % 2,
  error: null,
  stopReason: 'finished',
  turns: 3,
  usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
  verifier: { reward: i % 2, reason: null, exitCode: 0, output: 'ok' },
  timings: { buildMs: 0, startMs: 0, agentMs: 0, verifyMs: 0, totalMs: 0 },
  trajectoryPath: null,
  startedAt: new Date().toISOString(),
});

/** ms per trial of the trial activity's store work. */
async function storeOverhead(b: Backend, dir: string): Promise<number> {
  return withBackend(b, async () => {
    const store = await openStore(dir);
    try {
      const filler = randomBytes(7_500).toString('hex'); // ~20 KB of trajectory per trial, distinct per trial
      const t0 = performance.now();
      for (let i = 0; i < TRIALS; i++) {
        const r = result(i);
        await store.findCachedTrial({
          harnessId: r.harnessId,
          task: r.task,
          taskHash: `h-${r.task}`,
          model: r.model,
          repeat: r.repeat,
        });
        await store.recordTrial(r, {
          campaign: 'bench',
          candidateId: 'c',
          taskHash: `h-${r.task}`,
          trajectoryJson: { schema_version: 'ATIF-v1.8', trial: i, steps: [{ message: filler }] },
          verifierLog: `verifier log of trial ${i}\n`,
        });
      }
      return (performance.now() - t0) / TRIALS;
    } finally {
      await store.close();
    }
  });
}

async function campaign(
  b: Backend,
  root: string,
  name: string,
  ctx: { connection: NativeConnection; client: Awaited<ReturnType<typeof connectClient>> },
): Promise<{ trials: number; seconds: number }> {
  // A seed of its own: the trial cache spans a store's campaigns (PostgreSQL holds them all), so equal
  // seeds would make every later campaign a cache hit.
  const seed = await writeSeed(path.join(root, `seed-${name}`));
  await appendFile(path.join(seed, 'system.md'), `<!-- ${name} -->\n`);
  return withBackend(b, async () => {
    const workers = await createWorkers({
      connection: ctx.connection,
      deps: { runTrial: noopTrial, propose: noopProposer, loadPlan: () => Promise.reject(new Error('unused')) },
      trialSlots: 8,
    });
    const running = workers.run();
    const plan: CampaignPlan = {
      name,
      campaignDir: path.join(root, name),
      seedHarness: seed,
      train: tasks('t', 10),
      holdout: tasks('h', 4),
      repeats: 1,
      holdoutRepeats: 1,
      proposalsPerGeneration: 4,
      concurrency: 8,
      seed: 42,
      selection: 'pareto',
      acceptance: { mode: 'greedy' },
      budget: {},
      generations: GENERATIONS,
      hints: [],
    };
    try {
      const t0 = performance.now();
      const { handle } = await startOrAttachCampaign(ctx.client, { name, input: { plan } });
      const summary = await handle.result();
      return { trials: summary.ledger.trials, seconds: (performance.now() - t0) / 1000 };
    } finally {
      workers.shutdown();
      await running;
    }
  });
}

async function run(): Promise<void> {
  installWorkerLogger('WARN');
  const adminUrl = required('AUTOAGENT_TEST_PG_URL');
  const endpoint = required('AUTOAGENT_TEST_S3_ENDPOINT');
  const bucket = required('AUTOAGENT_TEST_S3_BUCKET');
  const tag = randomBytes(4).toString('hex');
  const dbName = `aa_bench_${tag}`;
  const root = await mkdtemp(path.join(os.tmpdir(), 'autoagent-stores-'));
  const pgUrl = await createDatabase(adminUrl, dbName);
  const backends: Backend[] = [
    { name: 'sqlite+file', env: { AUTOAGENT_STORE: undefined, AUTOAGENT_ARTIFACTS: undefined } },
    {
      name: 'postgres+s3',
      env: {
        AUTOAGENT_STORE: pgUrl,
        AUTOAGENT_ARTIFACTS: `s3://${bucket}/bench-${tag}`,
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      },
    },
  ];
  const server = await startDevServer({ dbFile: path.join(root, 'temporal.sqlite') });
  const connection = await NativeConnection.connect({ address: server.address });
  const client = await connectClient({ address: server.address, namespace: 'default' });
  try {
    console.log(`1. store work of one trial (cache lookup + 20 KB trajectory + log + record), ${TRIALS} trials each`);
    const overhead: Record<string, number> = {};
    for (const b of backends) {
      overhead[b.name] = await storeOverhead(b, path.join(root, `overhead-${b.name}`));
      console.log(`   ${b.name.padEnd(12)} ${(overhead[b.name] as number).toFixed(2).padStart(7)} ms/trial`);
    }
    console.log(
      `   ratio postgres+s3 / sqlite+file: ${((overhead['postgres+s3'] as number) / (overhead['sqlite+file'] as number)).toFixed(2)}×`,
    );

    const ctx = { connection, client };
    // One unmeasured warm-up each (workflow bundle, first connections), then interleaved rounds.
    for (const b of backends) await campaign(b, root, `warm-${b.name.replace(/\W/g, '-')}`, ctx);
    const totals: Record<string, { trials: number; seconds: number }> = {};
    console.log(
      `2. the same no-op campaign (10 train tasks, K=4, ${GENERATIONS} generations) on a local Temporal server, ${ROUNDS} interleaved rounds`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? backends : [...backends].reverse();
      for (const b of order) {
        const r = await campaign(b, root, `r${round}-${b.name.replace(/\W/g, '-')}`, ctx);
        const t = (totals[b.name] ??= { trials: 0, seconds: 0 });
        t.trials += r.trials;
        t.seconds += r.seconds;
        console.log(
          `   round ${round + 1} ${b.name.padEnd(12)} ${r.trials} trials in ${r.seconds.toFixed(1)} s = ${((r.trials / r.seconds) * 60).toFixed(0)} trials/min`,
        );
      }
    }
    const perMin = (name: string): number => {
      const t = totals[name] as { trials: number; seconds: number };
      return (t.trials / t.seconds) * 60;
    };
    for (const b of backends) console.log(`   overall ${b.name.padEnd(12)} ${perMin(b.name).toFixed(0)} trials/min`);
    console.log(
      `   throughput ratio postgres+s3 / sqlite+file: ${(perMin('postgres+s3') / perMin('sqlite+file')).toFixed(2)}×`,
    );
  } finally {
    await client.connection.close();
    await connection.close();
    await server.stop();
    await dropDatabase(adminUrl, dbName);
    await rm(root, { recursive: true, force: true });
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
