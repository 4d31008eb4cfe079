/**
 * Per-trial orchestration overhead of Temporal: the same no-op trial (1) called directly, (2) through the
 * runTrial activity code outside Temporal (harness load + SQLite cache lookup + record), and (3) through
 * Temporal — an EvaluationWorkflow scheduling runTrial activities on a local dev server — one at a time
 * (latency) and with a window of 8 (throughput). Goal: < 200 ms per trial.
 * Run: npm run build && node dist/benchmarks/perf/temporal-overhead.js [trials=200]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { loadHarness } from '../../src/harness/load';
import { connectClient } from '../../src/temporal/connection';
import { startDevServer } from '../../src/temporal/dev-server';
import { createWorkers } from '../../src/workers';
import { EvaluationWorkflow } from '../../src/workflows/evaluation';
import { QUEUES } from '../../src/workflows/activities';
import { noopProposer, noopTrial, tasks, writeSeed } from './noop-deps';

const N = Number(process.argv[2] ?? 200);
const row = (label: string, totalMs: number, n: number): string =>
  `${label.padEnd(44)} ${String(n).padStart(5)} trials  ${(totalMs / n).toFixed(3).padStart(9)} ms/trial  ${(n / (totalMs / 1000)).toFixed(0).padStart(7)} trials/s`;

async function run(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const root = await mkdtemp(path.join(os.tmpdir(), 'autoagent-bench-'));
  const seedDir = await writeSeed(path.join(root, 'seed'));
  const harness = await loadHarness(seedDir);
  const deps = {
    runTrial: noopTrial,
    propose: noopProposer,
    loadPlan: async () => {
      throw new Error('unused');
    },
  };
  const lines: string[] = [];

  let t = performance.now();
  for (const [i, task] of tasks('direct', N).entries()) {
    await noopTrial({
      trialId: `d${i}`,
      task,
      harness,
      repeat: 0,
      outDir: root,
      signal: new AbortController().signal,
      heartbeat: () => undefined,
    });
  }
  lines.push(row('direct no-op trial function', performance.now() - t, N));

  const acts = createActivities(deps);
  const mock = new MockActivityEnvironment();
  const campaignDir = path.join(root, 'campaign');
  const dirOf = path.join(campaignDir, 'harnesses', harness.id);
  await acts.prepareCampaign({
    plan: {
      name: 'bench',
      campaignDir,
      seedHarness: seedDir,
      train: tasks('p', 1),
      holdout: [],
      repeats: 1,
      holdoutRepeats: 1,
      proposalsPerGeneration: 1,
      concurrency: 1,
      seed: 1,
      selection: 'best',
      acceptance: { mode: 'greedy' },
      budget: {},
      hints: [],
    },
  });
  t = performance.now();
  for (const task of tasks('activity', N)) {
    await mock.run(acts.runTrial, {
      campaign: 'bench',
      campaignDir,
      candidateId: harness.id,
      harnessId: harness.id,
      task,
      repeat: 0,
    });
  }
  lines.push(row('runTrial activity code, no Temporal', performance.now() - t, N));

  const server = await startDevServer({ dbFile: path.join(root, 'temporal.sqlite') });
  const connection = await NativeConnection.connect({ address: server.address });
  const client = await connectClient({ address: server.address, namespace: 'default' });
  const workers = await createWorkers({ connection, deps, trialSlots: 8 });
  const running = workers.run();
  try {
    for (const window of [1, 8]) {
      const prefix = `w${window}-`;
      const candidates = [{ id: harness.id, dir: dirOf, complexity: 0 }];
      const args = { campaign: 'bench', campaignDir, candidates, tasks: tasks(prefix, N), repeats: 1, window };
      t = performance.now();
      const res = await client.workflow.execute(EvaluationWorkflow, {
        workflowId: `bench-${prefix}${Date.now()}`,
        taskQueue: QUEUES.workflows,
        args: [args],
      });
      const ms = performance.now() - t;
      if (res.failure || res.evaluations[0]?.trials.length !== N) throw new Error(`evaluation failed: ${res.failure}`);
      lines.push(row(`through Temporal, window ${window}`, ms, N));
    }
  } finally {
    workers.shutdown();
    await running;
    await client.connection.close();
    await connection.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
  console.log(`Temporal per-trial overhead (no-op trials, ${os.cpus().length} cores)`);
  for (const l of lines) console.log(l);
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
