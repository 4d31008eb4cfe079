/**
 * `autoagent worker`: serves a shared Temporal server (TEMPORAL_ADDRESS) on any number of machines —
 * workflows, trials (sandboxes on this machine's Docker engine, at most --trial-slots at once) and
 * meta-agent proposals. Orphaned sandboxes of a crashed worker are reaped at start; SIGINT/SIGTERM drain.
 */
import { z } from 'zod';
import { productionParts } from '../../app/production';
import { connectWorker, describeTarget, serverTarget } from '../../temporal/connection';
import { createWorkers, installWorkerLogger, type WorkerRole } from '../../workers';
import { UsageError } from '../errors';
import { parseOptions } from '../options';

const WorkerOptions = z.object({
  roles: z
    .string()
    .default('workflows,trials,meta')
    .transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['workflows', 'trials', 'meta'])).min(1)),
  trialSlots: z.coerce.number().int().positive().max(256).optional(),
  /** The flag's old name: it read like campaign.yaml's `concurrency` (trials per campaign), which it is not. */
  concurrency: z.coerce.number().int().positive().max(256).optional(),
  metaConcurrency: z.coerce.number().int().positive().max(64).default(4),
});

/** AUTOAGENT_TRIAL_SLOTS (AUTOAGENT_TRIAL_CONCURRENCY, its old name, still read); default 2. */
function envSlots(): number {
  const raw = process.env.AUTOAGENT_TRIAL_SLOTS ?? process.env.AUTOAGENT_TRIAL_CONCURRENCY;
  if (raw === undefined) return 2;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new UsageError(`AUTOAGENT_TRIAL_SLOTS: expected an integer from 1 to 256, got "${raw}"`);
  return n;
}

/** `worker` (its arguments, options and help: cli/definitions.ts). */
export async function workerAction(raw: unknown): Promise<void> {
  const opts = parseOptions(WorkerOptions, raw);
  const trialSlots = opts.trialSlots ?? opts.concurrency ?? envSlots();
  installWorkerLogger(process.env.AUTOAGENT_DEBUG ? 'INFO' : 'WARN');
  const target = serverTarget();
  const half = (await import('../../store/references')).halfSharedStores();
  if (half) process.stderr.write(`autoagent worker: warning: ${half}\n`);
  const connection = await connectWorker(target);
  // The worker's own connection answers the search-attribute lookup, so campaigns it runs set them too.
  const parts = productionParts({ connection, namespace: target.namespace });
  const set = await createWorkers({
    connection,
    namespace: target.namespace,
    deps: parts.deps,
    roles: opts.roles as WorkerRole[],
    trialSlots,
    metaConcurrency: opts.metaConcurrency,
    reapOrphans: parts.reapOrphans,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(
    `autoagent worker on ${describeTarget(target)}: ${opts.roles.join(', ')}, ${trialSlots} trial slot(s)\n`,
  );
  await set.run();
  await connection.close();
}
