/**
 * Keeps the verifier out of the agent's reach. Two steps around the agent phase:
 *  - `guardAgentPhase`: the agent gets a fenced view of the sandbox (closed when its phase ends, so an agent
 *    that ignored its abort can no longer act) while a watchdog holds storage_mb;
 *  - `sealForVerifier`: every process of the agent phase is killed (the container is stopped and started
 *    again: a fresh init, nothing else), the restart is checked from /proc, and the filesystem diff against
 *    the image is screened for changes to the system the tests rely on (RewardTamperingError).
 * Both throw task-level errors that runTrial scores 0 and records; Docker faults pass through.
 */
import { SandboxError } from '../sandbox/errors';
import { watchStorage } from '../sandbox/storage-watchdog';
import type { ProcessInfo, Sandbox, TrialSandbox } from '../sandbox/types';
import type { Task } from '../tasks/types';
import { RewardTamperingError } from '../verifier/errors';
import { underInit } from '../sandbox/processes';
import { findTampering } from '../verifier/tampering';

/** A Sandbox that refuses every call once closed. */
export function fence(box: Sandbox): { sandbox: Sandbox; close(): void } {
  let open = true;
  const guard =
    <A extends unknown[], R>(operation: string, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      if (!open)
        throw new SandboxError({
          operation,
          containerId: box.id,
          message: "the agent phase is over: the sandbox no longer takes the agent's commands",
        });
      return fn(...a);
    };
  const sandbox: Sandbox = {
    id: box.id,
    exec: guard('exec', box.exec.bind(box)),
    putFile: guard('putFile', box.putFile.bind(box)),
    putDir: guard('putDir', box.putDir.bind(box)),
    getFile: guard('getFile', box.getFile.bind(box)),
    remove: guard('remove', box.remove.bind(box)),
  };
  return {
    sandbox,
    close: () => {
      open = false;
    },
  };
}

/** Runs the agent phase on a fenced sandbox under the storage watchdog; a breach stops the agent and throws. */
export async function guardAgentPhase<T>(
  box: TrialSandbox,
  task: Task,
  signal: AbortSignal | undefined,
  run: (sandbox: Sandbox, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const fenced = fence(box);
  const abort = new AbortController();
  const onOuter = (): void => abort.abort(signal?.reason);
  signal?.addEventListener('abort', onOuter, { once: true });
  const watch = watchStorage(box, {
    limitMb: task.config.environment.storageMb,
    onBreach: (err) => {
      fenced.close();
      abort.abort(err);
    },
  });
  let out: T;
  try {
    out = await run(fenced.sandbox, abort.signal);
  } catch (err) {
    await watch.stop().catch(() => null); // the agent's own (systemic) error is the one to report
    throw err;
  } finally {
    fenced.close();
    signal?.removeEventListener('abort', onOuter);
  }
  const breach = await watch.stop();
  if (breach) throw breach;
  return out;
}

/**
 * Processes the agent left: any exec's (each exec's tree hangs off ppid 0, not init), and under init any beyond
 * what ran there when the container first settled (init, what the image's ENTRYPOINT started, the keep-alive),
 * counted by name. Unknown start-up processes: init, the keep-alive shell and its sleep (provider.ts).
 */
function unexpected(procs: ProcessInfo[], startup: readonly ProcessInfo[]): ProcessInfo[] {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const allowed = new Map<string, number>();
  const known = startup.length > 0 ? startup.map((p) => p.comm) : ['docker-init', 'sh', 'sleep'];
  for (const comm of known) allowed.set(comm, (allowed.get(comm) ?? 0) + 1);
  return procs.filter((p) => {
    if (p.pid === 1) return false;
    if (!underInit(p, byPid)) return true;
    const left = allowed.get(p.comm) ?? 0;
    allowed.set(p.comm, left - 1);
    return left <= 0;
  });
}

export async function sealForVerifier(box: TrialSandbox, task: Task): Promise<void> {
  await box.stop();
  // Stopped before the diff: nothing of the agent's can change a file between this check and the verifier.
  // A workdir of '/' (image without WORKDIR) would cover everything: it does not make the system the agent's.
  const workdir = await box.workingDir();
  const workArea = [...(workdir && workdir !== '/' ? [workdir] : []), ...task.config.agent.writablePaths];
  // The diff (about a second on the daemon) runs alongside the start: only the keep-alive runs meanwhile.
  const [changes] = await Promise.all([box.changes(), box.start()]);
  const tampered = findTampering(changes, workArea);
  if (tampered.length > 0) throw new RewardTamperingError(tampered);
  const left = unexpected(await box.processes(), box.startupProcesses());
  if (left.length > 0) {
    throw new RewardTamperingError(
      left.map((p) => `process ${p.pid} (${p.comm}) running after every agent process was killed`),
    );
  }
}
