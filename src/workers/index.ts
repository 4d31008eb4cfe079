/**
 * Workers for the three task queues: `autoagent` (workflows + store activities), `autoagent-trials`
 * (sandbox-heavy; at most `trialSlots` trials at once on this machine) and `autoagent-meta` (LLM-only
 * proposals). Orphaned sandboxes of a crashed worker are reaped before polling starts. The Temporal
 * Runtime shuts the workers down gracefully on SIGINT / SIGTERM (in-flight activities get
 * `shutdownGraceTime` to finish, then are cancelled).
 */
import type { Duration } from '@temporalio/common';
import {
  DefaultLogger,
  Runtime,
  Worker,
  type LogLevel,
  type NativeConnection,
  type WorkflowBundle,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { type ActivityDeps } from '../activities/ports';
import { QUEUES } from '../workflows/activities';

export type WorkerRole = 'workflows' | 'trials' | 'meta';

export interface CreateWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  deps: ActivityDeps;
  /** Task queue names; default autoagent / autoagent-trials / autoagent-meta. */
  queues?: Partial<Record<WorkerRole, string>>;
  /** Which queues this process serves (default all three). */
  roles?: WorkerRole[];
  /** Trial slots: trials in flight on this machine (default 2). Not campaign.yaml's `concurrency` (per campaign). */
  trialSlots?: number;
  /** Proposals in flight (default 4). */
  metaConcurrency?: number;
  /** Pre-built workflow bundle (tests, benchmarks: bundle once); default: bundle src/workflows. */
  workflowBundle?: WorkflowBundle;
  /** Removes sandboxes left by a crashed worker (e.g. DockerSandboxProvider.reapOrphans). */
  reapOrphans?: () => Promise<number>;
  shutdownGraceTime?: Duration;
  log?: (line: string) => void;
}

export interface WorkerSet {
  workers: Worker[];
  /** Resolves when every worker has shut down (after shutdown(), or a SIGINT / SIGTERM). */
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Worker-SDK logs from `level` up. At the SDK's default (INFO) a CLI user sees webpack's bundle report and
 * every worker state change before any progress line. Call once, before the first worker (or connection);
 * a Runtime that is already installed (tests install their own) is left as it is.
 */
export function installWorkerLogger(level: LogLevel = 'WARN'): void {
  // Activity-only workers (trials, meta) poll no workflow tasks by design; the SDK's warning about it is noise.
  const expected = (message: string): boolean => message.startsWith('No workflows registered');
  const logger = new DefaultLogger(level, (entry) => {
    if (!expected(entry.message))
      process.stderr.write(
        `${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} [${entry.level}] ${entry.message} ${entry.meta ? JSON.stringify(entry.meta) : ''}\n`,
      );
  });
  try {
    Runtime.install({ logger });
  } catch {
    /* already installed */
  }
}

export async function createWorkers(opts: CreateWorkersOptions): Promise<WorkerSet> {
  const roles = opts.roles ?? ['workflows', 'trials', 'meta'];
  const queues = { ...QUEUES, ...opts.queues };
  const activities = createActivities(opts.deps);
  const common = {
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    shutdownGraceTime: opts.shutdownGraceTime ?? '30s',
  };
  if (opts.reapOrphans && roles.includes('trials')) {
    const n = await opts.reapOrphans();
    if (n > 0) opts.log?.(`reaped ${n} orphaned sandbox(es)`);
  }
  const workers: Worker[] = [];
  if (roles.includes('workflows')) {
    const { prepareCampaign, recordCandidates, recordEvent } = activities;
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: queues.workflows,
        ...(opts.workflowBundle
          ? { workflowBundle: opts.workflowBundle }
          : { workflowsPath: require.resolve('../workflows') }),
        activities: { prepareCampaign, recordCandidates, recordEvent },
      }),
    );
  }
  if (roles.includes('trials')) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: queues.trials,
        activities: { runTrial: activities.runTrial },
        maxConcurrentActivityTaskExecutions: opts.trialSlots ?? 2,
        // A trial learns of its cancellation (its candidate decided) from a heartbeat's answer: send them at
        // most 5 s apart instead of 0.8 × heartbeatTimeout (24 s), so a cancelled sandbox goes within seconds.
        maxHeartbeatThrottleInterval: '5 seconds',
      }),
    );
  }
  if (roles.includes('meta')) {
    workers.push(
      await Worker.create({
        ...common,
        taskQueue: queues.meta,
        activities: { proposeCandidate: activities.proposeCandidate },
        maxConcurrentActivityTaskExecutions: opts.metaConcurrency ?? 4,
      }),
    );
  }
  return {
    workers,
    run: async () => void (await Promise.all(workers.map((w) => w.run()))),
    shutdown: () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown()),
  };
}
