/**
 * DockerSandbox: the Sandbox contract over one running container (dockerode). Files move through the
 * archive API (no shell quoting, binary-safe); commands go through runExec (timeouts, bounded output).
 */
import * as path from 'node:path/posix';
import type Docker from 'dockerode';
import { FileTooLargeError, SandboxError, asSystemic, statusOf } from './errors';
import { runExec } from './exec';
import { dirEntries, firstFileFrom, packEntries, type TarEntry } from './tar';
import { listProcesses, settledProcesses, underInit } from './processes';
import type { ExecOptions, ExecResult, FsChange, ProcessInfo, TrialSandbox } from './types';

/** Default cap on a file copied out of a sandbox: bigger files are refused, never buffered. */
const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;
const CHANGE_KINDS: Record<number, FsChange['kind']> = { 0: 'modified', 1: 'added', 2: 'deleted' };

/** Relative tar name for an absolute container path ('/a/b' -> 'a/b'). */
function relName(containerPath: string): string {
  const norm = path.normalize(containerPath);
  if (!path.isAbsolute(norm) || norm === '/')
    throw new SandboxError({ operation: 'path', message: `expected an absolute file path, got "${containerPath}"` });
  return norm.slice(1);
}

export class DockerSandbox implements TrialSandbox {
  private removed = false;
  private startup: ProcessInfo[] = [];
  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
    /** Runs after the container is gone: the task's compose services, if any, go with it. */
    private readonly afterRemove: () => Promise<void> = () => Promise.resolve(),
    readonly storageQuota = false,
    /** The compose project of the task's services (multi-container tasks), else null. */
    private readonly composeProject: string | null = null,
  ) {}

  get id(): string {
    return this.container.id;
  }

  exec(command: string, opts?: ExecOptions): Promise<ExecResult> {
    return runExec(this.docker, this.container, command, opts);
  }

  async putFile(containerPath: string, content: string | Buffer, mode = 0o644): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    await this.putEntries([{ name: relName(containerPath), type: 'file', mode, content: data }], 'putFile');
  }

  async putDir(hostDir: string, containerDir: string): Promise<void> {
    const prefix = relName(containerDir);
    const entries = await dirEntries(hostDir, prefix);
    // An empty folder still has to exist afterwards.
    if (entries.length === 0) entries.push({ name: prefix, type: 'directory', mode: 0o755 });
    await this.putEntries(entries, 'putDir');
  }

  private async putEntries(entries: TarEntry[], operation: string): Promise<void> {
    try {
      await this.container.putArchive(await packEntries(entries), { path: '/' });
    } catch (err) {
      throw this.wrap(operation, err);
    }
  }

  async getFile(containerPath: string, opts: { maxBytes?: number } = {}): Promise<Buffer | null> {
    const p = path.normalize(containerPath);
    try {
      const stream = await this.container.getArchive({ path: p });
      return await firstFileFrom(stream, { path: p, maxBytes: opts.maxBytes ?? DEFAULT_MAX_FILE_BYTES });
    } catch (err) {
      if (statusOf(err) === 404) return null;
      if (err instanceof FileTooLargeError) throw err;
      throw this.wrap('getFile', err);
    }
  }

  async stop(): Promise<void> {
    await this.call('stop', async () => {
      // SIGKILL to the namespace's init: the kernel kills every other process in it, however detached.
      await this.container.kill({ signal: 'SIGKILL' }).catch((err: unknown) => {
        if (statusOf(err) !== 409) throw err;
      });
      await this.container.wait();
    });
  }

  async start(): Promise<void> {
    await this.call('start', () => this.container.start());
    await this.settle();
  }

  /**
   * Waits for the image's entrypoint to hand over to the keep-alive (provider.ts). The first time, what then
   * runs under init is kept as the container's own start-up processes (startupProcesses).
   */
  async settle(): Promise<void> {
    const procs = await settledProcesses(() => this.processes());
    if (this.startup.length > 0) return;
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    this.startup = procs.filter((p) => underInit(p, byPid));
  }

  startupProcesses(): readonly ProcessInfo[] {
    return this.startup;
  }

  processes(): Promise<ProcessInfo[]> {
    return listProcesses(this);
  }

  async changes(): Promise<FsChange[]> {
    const list = (await this.call('changes', () => this.container.changes())) as
      { Path: string; Kind: number }[] | null;
    return (list ?? []).map((c) => ({ path: c.Path, kind: CHANGE_KINDS[c.Kind] ?? 'modified' }));
  }

  async writableBytes(): Promise<number> {
    const info = await this.call('inspect', () =>
      this.container.inspect({ size: true } as Docker.ContainerInspectOptions),
    );
    return Number((info as { SizeRw?: number }).SizeRw ?? 0);
  }

  async workingDir(): Promise<string | null> {
    const info = await this.call('inspect', () => this.container.inspect());
    return info.Config.WorkingDir || null;
  }

  async archive(containerPath: string): Promise<NodeJS.ReadableStream | null> {
    try {
      return await this.container.getArchive({ path: path.normalize(containerPath) });
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw this.wrap('archive', err);
    }
  }

  async extract(containerDir: string, tar: NodeJS.ReadableStream): Promise<void> {
    await this.call('extract', () => this.container.putArchive(tar, { path: path.normalize(containerDir) }));
  }

  async service(name: string): Promise<Pick<TrialSandbox, 'id' | 'exec' | 'archive'>> {
    const missing = (why: string) =>
      new SandboxError({ operation: 'service', containerId: this.id, message: `compose service "${name}" ${why}` });
    if (!this.composeProject) throw missing('does not exist: the task has no environment/docker-compose.yaml');
    const project = this.composeProject;
    const [found] = await this.call('service', () =>
      this.docker.listContainers({
        all: true,
        filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${name}`] },
      }),
    );
    if (!found) throw missing(`is not among the task's running services`);
    // Its own view over the same API; the trial's remove() takes the services down with the project.
    return new DockerSandbox(this.docker, this.docker.getContainer(found.Id));
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.wrap(operation, err);
    }
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    try {
      await this.container.remove({ force: true, v: true });
    } catch (err) {
      const s = statusOf(err);
      // 404: already gone; 409: removal already in progress. Both mean "it is going away".
      if (s !== 404 && s !== 409) throw this.wrap('remove', err);
    }
    this.removed = true;
    await this.afterRemove();
  }

  private wrap(operation: string, err: unknown): unknown {
    const sys = asSystemic(err);
    if (sys !== err) return sys;
    return new SandboxError({ operation, containerId: this.id, message: (err as Error).message, cause: err });
  }
}
