/**
 * Per-run context the tools share: the sandbox, the deadline (so no command outlives the agent's
 * budget), the abort signal, and the sandbox's working directory (resolved once, for relative paths).
 */
import path from 'node:path';
import type { Sandbox } from '../sandbox/types';

export interface SandboxSession {
  sandbox: Sandbox;
  deadlineMs: number;
  signal: AbortSignal;
  /** Seconds left before the deadline, at least 1, at most `capSec`. */
  remainingSec(capSec: number): number;
  /** Absolute container path for a path the model gave (relative = against the working directory). */
  resolvePath(p: string): Promise<string>;
}

export function createSession(sandbox: Sandbox, deadlineMs: number, signal: AbortSignal): SandboxSession {
  let workdir: Promise<string> | null = null;
  const getWorkdir = (): Promise<string> =>
    (workdir ??= sandbox
      .exec('pwd', { timeoutSec: 30 })
      .then((r) => (r.exitCode === 0 && r.stdout.trim().startsWith('/') ? r.stdout.trim() : '/')));
  return {
    sandbox,
    deadlineMs,
    signal,
    remainingSec: (capSec) => Math.max(1, Math.min(capSec, Math.floor((deadlineMs - Date.now()) / 1000))),
    async resolvePath(p) {
      return path.posix.isAbsolute(p) ? path.posix.normalize(p) : path.posix.join(await getWorkdir(), p);
    },
  };
}
