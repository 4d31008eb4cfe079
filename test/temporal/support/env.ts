/**
 * One real Temporal dev server per test file (the CLI binary from TEMPORAL_CLI_PATH — missing means FAIL,
 * never skip), one workflow bundle per file, and workers wired to fake trial / proposer deps.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import type { ActivityDeps } from '../../../src/activities/ports';
import { registeredSearchAttributes } from '../../../src/temporal/search-attributes';
import { createWorkers, type WorkerSet } from '../../../src/workers';
import { SEARCH_ATTRIBUTE_KEYS } from '../../../src/workflows/search-attributes';
import { parsePlan } from '../../../src/activities/plan-schema';

export async function startServer(opts: { searchAttributes: boolean }): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli) {
    throw new Error(
      'TEMPORAL_CLI_PATH is not set: these integration tests need the Temporal CLI binary (export TEMPORAL_CLI_PATH=/path/to/temporal)',
    );
  }
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli },
      searchAttributes: opts.searchAttributes ? SEARCH_ATTRIBUTE_KEYS : [],
    },
  });
}

let installed = false;
/** Worker logs at WARN only: keeps test output readable. */
function quietRuntime(): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

let bundle: Promise<WorkflowBundle> | null = null;
export const workflowBundle = (): Promise<WorkflowBundle> =>
  (bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../../src/workflows'), logger: quietLogger }));

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export async function startWorkers(
  env: TestWorkflowEnvironment,
  deps: Pick<ActivityDeps, 'runTrial' | 'propose'> & Partial<ActivityDeps>,
  opts: { concurrency?: number } = {},
): Promise<{ workers: WorkerSet; running: Promise<void>; stop: () => Promise<void> }> {
  const workers = await createWorkers({
    connection: env.nativeConnection,
    deps: {
      loadPlan: async (p) =>
        parsePlan(JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(p, 'utf8'))), p),
      searchAttributes: () => registeredSearchAttributes(env.connection),
      ...deps,
    },
    workflowBundle: await workflowBundle(),
    trialSlots: opts.concurrency ?? 4,
    shutdownGraceTime: '1s',
  });
  const running = workers.run();
  return {
    workers,
    running,
    stop: async () => {
      workers.shutdown();
      await running;
    },
  };
}

export const tmpRoot = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'autoagent-temporal-'));

/** Polls `fn` until it returns a truthy value (or throws after timeoutMs). */
export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
