/**
 * A campaign of >= 5,000 no-op trials on a local dev server: 25 train tasks x 1 repeat x K=4 children =
 * 100 trials per generation, 50 generations, continue-as-new every 10 generations. Prints the history
 * length of every campaign run and of the largest child (both bounded, whatever the campaign length) and
 * RSS samples of this process (worker + client) over time, which should stay flat.
 * Run: npm run build && node dist/benchmarks/perf/campaign-5000.js [generations=50]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { campaignStatus, startOrAttachCampaign } from '../../src/temporal/client';
import { connectClient } from '../../src/temporal/connection';
import { startDevServer } from '../../src/temporal/dev-server';
import { createWorkers } from '../../src/workers';
import type { CampaignPlan } from '../../src/workflows/types';
import { mb, noopProposer, noopTrial, tasks, writeSeed } from './noop-deps';

const GENERATIONS = Number(process.argv[2] ?? 50);

async function run(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const root = await mkdtemp(path.join(os.tmpdir(), 'autoagent-c5000-'));
  const server = await startDevServer({ dbFile: path.join(root, 'temporal.sqlite') });
  const connection = await NativeConnection.connect({ address: server.address });
  const client = await connectClient({ address: server.address, namespace: 'default' });
  const deps = {
    runTrial: noopTrial,
    propose: noopProposer,
    loadPlan: async () => {
      throw new Error('unused');
    },
  };
  const workers = await createWorkers({ connection, deps, trialSlots: 16 });
  const running = workers.run();
  const plan: CampaignPlan = {
    name: 'c5000',
    campaignDir: path.join(root, 'campaign'),
    seedHarness: await writeSeed(path.join(root, 'seed')),
    train: tasks('t', 25),
    holdout: tasks('h', 5),
    repeats: 1,
    holdoutRepeats: 1,
    proposalsPerGeneration: 4,
    concurrency: 16,
    seed: 42,
    selection: 'pareto',
    acceptance: { mode: 'greedy' },
    budget: {},
    generations: GENERATIONS,
    hints: [],
    runtime: { maxGenerationsPerRun: 10 },
  };
  const t0 = performance.now();
  const sample = async (): Promise<void> => {
    const s = await campaignStatus(handle).catch(() => null);
    console.log(
      `  t=${((performance.now() - t0) / 1000).toFixed(0).padStart(4)}s gen=${String(s?.generation ?? '?').padStart(3)} trials=${String(s?.trialsDone ?? '?').padStart(5)} rss=${mb(process.memoryUsage().rss)} heap=${mb(process.memoryUsage().heapUsed)}`,
    );
  };
  const { handle } = await startOrAttachCampaign(client, { name: plan.name, input: { plan } });
  console.log('RSS samples every 5 s (worker + client process):');
  const timer = setInterval(() => void sample(), 5000);
  try {
    const summary = await handle.result();
    clearInterval(timer);
    await sample();
    const seconds = (performance.now() - t0) / 1000;
    const runs: string[] = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) {
      const h = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
      runs.push(`${wf.runId.slice(0, 8)}: ${h.events?.length ?? 0} events`);
    }
    let maxChild = 0;
    for (const n of [1, Math.ceil(GENERATIONS / 2), GENERATIONS]) {
      const h = await client.workflow.getHandle(`${handle.workflowId}/gen-${n}`).fetchHistory();
      maxChild = Math.max(maxChild, h.events?.length ?? 0);
    }
    console.log(
      `campaign of ${summary.ledger.trials} trials (${summary.generations} generations) in ${seconds.toFixed(1)} s = ${((seconds * 1000) / summary.ledger.trials).toFixed(1)} ms/trial wall`,
    );
    console.log(
      `best train ${summary.best?.trainScore.toFixed(3)}, holdout ${summary.best?.holdoutScore}; ${summary.runs + 1} runs (continue-as-new)`,
    );
    console.log(`campaign run history lengths: ${runs.join(', ')}`);
    console.log(`largest sampled generation child history: ${maxChild} events (100 trials each)`);
  } finally {
    clearInterval(timer);
    workers.shutdown();
    await running;
    await client.connection.close();
    await connection.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
