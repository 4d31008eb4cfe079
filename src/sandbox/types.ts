/**
 * The sandbox contract (Harbor's environment interface): a running, isolated container the agent and the
 * verifier act in. Implementations: DockerSandbox (dockerode). Everything else depends on this interface only.
 */
export interface ExecOptions {
  /** Kill the command after this many seconds (default 600). */
  timeoutSec?: number;
  cwd?: string;
  env?: Record<string, string>;
  /** Keep at most this many bytes of each stream (head + tail), default 64 KiB. */
  maxOutputBytes?: number;
  user?: string;
}

export interface ExecResult {
  /** null when the command was killed (timeout) before it exited. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Bytes cut from the middle of each stream; the text itself says "[... N bytes truncated ...]". */
  truncatedBytes: { stdout: number; stderr: number };
  durationMs: number;
}

export interface Sandbox {
  readonly id: string;
  /** Runs `bash -c command` inside the container. Never throws for a non-zero exit or a timeout. */
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  putFile(containerPath: string, content: string | Buffer, mode?: number): Promise<void>;
  /** Copies a host folder's contents into containerDir (created if missing), keeping modes. */
  putDir(hostDir: string, containerDir: string): Promise<void>;
  /** A file's bytes, or null when it does not exist; over `maxBytes` (default 32 MiB) a FileTooLargeError. */
  getFile(containerPath: string, opts?: { maxBytes?: number }): Promise<Buffer | null>;
  /** Idempotent; always safe to call in `finally`. */
  remove(): Promise<void>;
}

/** One entry of the container's filesystem diff against its image (`docker diff`). */
export interface FsChange {
  path: string;
  kind: 'modified' | 'added' | 'deleted';
}

/** A process inside the container, from /proc/<pid>/stat. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
}

/**
 * What the trial pipeline needs beyond the agent-facing contract: the operations that keep the verifier out
 * of the agent's reach (src/trial/guard.ts). Agents only ever see a plain Sandbox.
 */
export interface TrialSandbox extends Sandbox {
  /** Stops the container: SIGKILL to its init, so every process in it dies, however detached. Files are kept. */
  stop(): Promise<void>;
  /**
   * Starts a stopped container again: a fresh init, the image's ENTRYPOINT and the keep-alive, nothing else;
   * resolves once the entrypoint has handed over to the keep-alive.
   */
  start(): Promise<void>;
  /** Every process now running in the container, except the listing command itself. */
  processes(): Promise<ProcessInfo[]>;
  /**
   * What ran under init once the container first settled: init, whatever the image's ENTRYPOINT started, and
   * the keep-alive. Empty when unknown.
   */
  startupProcesses(): readonly ProcessInfo[];
  /** The filesystem diff against the image. */
  changes(): Promise<FsChange[]>;
  /** Bytes in the container's writable layer (what it wrote on top of its image). */
  writableBytes(): Promise<number>;
  /** Whether a kernel quota holds this container's storage (then the watchdog need not poll: storage-watchdog.ts). */
  readonly storageQuota?: boolean;
  /** The container's working directory (the task's workdir, else the image's WORKDIR), or null. */
  workingDir(): Promise<string | null>;
  /** A tar stream of a path (file or folder; works on a stopped container), or null when it does not exist. */
  archive(containerPath: string): Promise<NodeJS.ReadableStream | null>;
  /** Unpacks a tar stream into containerDir. */
  extract(containerDir: string, tar: NodeJS.ReadableStream): Promise<void>;
  /**
   * A compose service's container beside this one (multi-container tasks), for collect hooks and its
   * artifacts; a SandboxError when the task has no such service running. Removing it is the trial's job.
   */
  service?(name: string): Promise<Pick<TrialSandbox, 'id' | 'exec' | 'archive'>>;
}
