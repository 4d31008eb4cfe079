/**
 * Typed sandbox errors. Names are stable: Temporal's `nonRetryableErrorTypes` and the trial pipeline decide
 * what to do by `name`. `DockerUnavailableError` is the one systemic fault (the daemon is unreachable): it is
 * the only sandbox error a trial re-throws instead of scoring 0.
 */
import { errorText } from '../util/error-text';

/** The last `maxBytes` of a log, so an error message stays readable. */
function logTail(log: string, maxBytes = 4000): string {
  return log.length <= maxBytes ? log : `[...]${log.slice(log.length - maxBytes)}`;
}

export class SandboxError extends Error {
  override readonly name: string = 'SandboxError';
  readonly operation: string;
  readonly containerId: string | null;
  constructor(opts: { operation: string; containerId?: string | null; message: string; cause?: unknown }) {
    super(`${opts.operation}: ${opts.message}`, { cause: opts.cause });
    this.operation = opts.operation;
    this.containerId = opts.containerId ?? null;
  }
}

export class ImageBuildError extends Error {
  override readonly name = 'ImageBuildError';
  readonly image: string;
  readonly contextDir: string | null;
  /** The end of the build log: usually where the failing step is. */
  readonly logTail: string;
  constructor(opts: { image: string; contextDir: string | null; problem: string; log: string }) {
    const tail = logTail(opts.log);
    super(
      `image ${opts.image}${opts.contextDir ? ` (from ${opts.contextDir})` : ''}: ${opts.problem}${tail ? `\n${tail}` : ''}`,
    );
    this.image = opts.image;
    this.contextDir = opts.contextDir;
    this.logTail = tail;
  }
}

export class DockerUnavailableError extends Error {
  override readonly name = 'DockerUnavailableError';
  constructor(cause: unknown) {
    super(`Docker daemon unreachable: ${errorText(cause)}`, { cause });
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

/** True for socket-level failures (no daemon), as opposed to an API error (HTTP status from the daemon). */
function isDaemonUnreachable(err: unknown): boolean {
  if (err instanceof DockerUnavailableError) return true;
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; statusCode?: unknown; syscall?: unknown };
  return (
    typeof e.statusCode !== 'number' &&
    typeof e.code === 'string' &&
    UNREACHABLE_CODES.has(e.code) &&
    (e.syscall === 'connect' || e.code === 'ECONNREFUSED')
  );
}

/** Wraps a daemon-unreachable error as `DockerUnavailableError`; other errors pass through unchanged. */
export function asSystemic(err: unknown): unknown {
  return isDaemonUnreachable(err)
    ? err instanceof DockerUnavailableError
      ? err
      : new DockerUnavailableError(err)
    : err;
}

/** HTTP status of a dockerode API error, if any. */
export function statusOf(err: unknown): number | null {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : null;
}

/** A file copied out of a sandbox is over the reader's cap: refused from the tar header, before any of it is read. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError';
  constructor(
    readonly path: string,
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`${path} is ${sizeBytes} bytes, over the ${maxBytes}-byte limit for files copied out of a sandbox`);
  }
}

/** The agent phase wrote more than the task's storage_mb into the container (the watchdog stopped it). */
export class StorageLimitError extends Error {
  override readonly name = 'StorageLimitError';
  constructor(
    readonly usedBytes: number | null,
    readonly limitMb: number,
    message?: string,
  ) {
    super(
      message ??
        `the container's writable layer reached ${Math.round((usedBytes ?? 0) / 1024 / 1024)} MB, over the task's storage_mb = ${limitMb}; the agent was stopped`,
    );
  }

  /**
   * The kernel quota refused a write (EDQUOT) the size watchdog could not see coming — files that hold no bytes
   * but use metadata (an inode flood) — so the verifier had no room left: the agent's doing, scored 0.
   */
  static quotaFull(limitMb: number, detail: string): StorageLimitError {
    return new StorageLimitError(
      null,
      limitMb,
      `the sandbox's storage quota (storage_mb = ${limitMb} plus the verifier's headroom) is full, used up by the agent's files or their metadata: ${detail.slice(0, 300)}`,
    );
  }
}

/** A sandbox operation failed because the container's storage quota is full. */
export const isQuotaFull = (err: unknown): boolean => /disk quota exceeded|EDQUOT/i.test(errorText(err));

/** The task's [environment].healthcheck never passed: the environment is broken, so the agent never starts. */
export class HealthcheckError extends Error {
  override readonly name = 'HealthcheckError';
  constructor(
    readonly command: string,
    readonly retries: number,
    readonly lastOutput: string,
  ) {
    super(
      `healthcheck failed ${retries} time(s) in a row after the start period: ${command}${lastOutput ? ` (last output: ${lastOutput.slice(-300).trim()})` : ''}`,
    );
  }
}
