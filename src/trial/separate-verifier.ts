/**
 * Harbor's `[verifier] environment_mode = "separate"`: the tests run in a fresh container of the task's
 * image, given only the agent's outputs — its artifacts (the task's top-level `artifacts` paths, plus the
 * /logs/artifacts convention folder) — so nothing else the agent did (processes, system files, hooks) can
 * reach them. Each artifact replaces its path in the verifier's container (a file the agent deleted stays
 * deleted). Copies stream container to container, bounded by the task's storage_mb.
 */
import * as path from 'node:path/posix';
import { Transform } from 'node:stream';
import { SandboxError } from '../sandbox/errors';
import type { TrialSandbox } from '../sandbox/types';
import type { Task } from '../tasks/types';
import { shellQuote } from '../util/shell';
import { ArtifactTooLargeError } from '../verifier/errors';
import { runVerifier, type VerifierResult } from '../verifier/verify';

/** Harbor collects this folder from every trial, declared or not. */
const ARTIFACTS_CONVENTION_DIR = '/logs/artifacts';

export const artifactSources = (task: Task): string[] => [
  ...new Set([...(task.config.artifacts ?? []), ARTIFACTS_CONVENTION_DIR]),
];

async function copyArtifact(
  from: Pick<TrialSandbox, 'archive'>,
  to: TrialSandbox,
  source: string,
  maxBytes: number,
): Promise<void> {
  const tar = await from.archive(source);
  if (!tar) return; // not produced: the tests will say what is missing
  let bytes = 0;
  const bounded = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? new ArtifactTooLargeError(source, maxBytes) : null, chunk);
    },
  });
  tar.on('error', (err: Error) => bounded.destroy(err));
  bounded.on('error', () => (tar as { destroy?: () => void }).destroy?.());
  tar.pipe(bounded);
  const rm = await to.exec(`rm -rf ${shellQuote(source)} && mkdir -p ${shellQuote(path.dirname(source))}`, {
    timeoutSec: 120,
    user: '0',
  });
  if (rm.exitCode !== 0)
    throw new Error(
      `cannot prepare ${source} in the verifier's container: ${rm.stderr.trim() || `exit ${rm.exitCode}`}`,
    );
  try {
    await to.extract(path.dirname(source), bounded);
  } catch (err) {
    if (bytes > maxBytes) throw new ArtifactTooLargeError(source, maxBytes);
    throw err;
  }
  if (bytes > maxBytes) throw new ArtifactTooLargeError(source, maxBytes);
}

/**
 * Stops the agent's container (its processes die), starts the verifier's, copies the artifacts across,
 * removes the agent's container and runs the tests. The verifier's container is always removed.
 */
export async function verifySeparately(opts: {
  agentBox: TrialSandbox;
  task: Task;
  startVerifierBox: () => Promise<TrialSandbox>;
  keepAgent?: boolean;
  /** The reward.json metric that is the reward (absent = `reward`). */
  metric?: string;
}): Promise<VerifierResult> {
  const { agentBox, task } = opts;
  const t0 = Date.now();
  await agentBox.stop();
  const box = await opts.startVerifierBox();
  try {
    const maxBytes = task.config.environment.storageMb * 1024 * 1024;
    for (const source of artifactSources(task)) await copyArtifact(agentBox, box, source, maxBytes);
    // A compose service's artifacts (Harbor's `{ source, service }`) reach the tests at their paths too.
    for (const a of task.config.serviceArtifacts ?? []) {
      // Best effort, as Harbor's: a service that is not running has nothing to give (the tests say what is missing).
      const from = agentBox.service
        ? await agentBox.service(a.service).catch((err: unknown) => {
            if (err instanceof SandboxError) return null;
            throw err;
          })
        : null;
      if (from) await copyArtifact(from, box, a.source, maxBytes);
    }
    // A multi-step trial's next step goes on in the agent's container (its processes are gone all the same).
    if (opts.keepAgent) await agentBox.start();
    else await agentBox.remove();
    const result = await runVerifier(box, task, opts.metric ? { metric: opts.metric } : {});
    return { ...result, durationMs: Date.now() - t0 }; // the second container and the copy are the verifier's cost
  } finally {
    await box.remove();
  }
}
