/**
 * `autoagent worker`: serves a shared Temporal server (TEMPORAL_ADDRESS) on any number of machines —
 * workflows, trials (sandboxes on this machine's Docker engine, at most --concurrency at once) and
 * meta-agent proposals. Orphaned sandboxes of a crashed worker are reaped at start; SIGINT/SIGTERM drain.
 */
import { z } from 'zod';
import { productionParts } from '../../app/production';
import { connectWorker, describeTarget, serverTarget } from '../../temporal/connection';
import { createWorkers, installWorkerLogger, type WorkerRole } from '../../workers';
import { parseOptions } from '../options';

const WorkerOptions = z.object({
  roles: z.string().default('workflows,trials,meta')
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['workflows', 'trials', 'meta'])).min(1)),
  concurrency: z.coerce.number().int().positive().max(256).default(Number(process.env.AUTOAGENT_TRIAL_CONCURRENCY ?? 2)),
  metaConcurrency: z.coerce.number().int().positive().max(64).default(4),
});

/** `worker` (its arguments, options and help: cli/definitions.ts). */
export async function workerAction(raw: unknown): Promise<void> {
  const opts = parseOptions(WorkerOptions, raw);
  installWorkerLogger(process.env.AUTOAGENT_DEBUG ? 'INFO' : 'WARN');
  const target = serverTarget();
  const connection = await connectWorker(target);
  // The worker's own connection answers the search-attribute lookup, so campaigns it runs set them too.
  const parts = productionParts({ connection, namespace: target.namespace });
  const set = await createWorkers({
    connection, namespace: target.namespace, deps: parts.deps, roles: opts.roles as WorkerRole[],
    concurrency: opts.concurrency, metaConcurrency: opts.metaConcurrency, reapOrphans: parts.reapOrphans,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(`autoagent worker on ${describeTarget(target)}: ${opts.roles.join(', ')}, ${opts.concurrency} trial(s) at once\n`);
  await set.run();
  await connection.close();
}
