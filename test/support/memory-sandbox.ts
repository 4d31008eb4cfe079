/**
 * An in-memory Sandbox for fast agent tests: files live in a Map, and `exec` understands only a tiny,
 * explicit command set (pwd, stat -c %a, cat, echo ... > file, env) plus handlers a test registers.
 * Every exec (command + env) is recorded so tests can assert what reached the "container".
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExecOptions, ExecResult, Sandbox } from '../../src/sandbox/types';

export type ExecHandler = (command: string, opts: ExecOptions) => Partial<ExecResult> | null;

export class MemorySandbox implements Sandbox {
  readonly id = `mem-${Math.random().toString(36).slice(2, 8)}`;
  readonly files = new Map<string, { data: Buffer; mode: number }>();
  readonly execs: { command: string; opts: ExecOptions }[] = [];
  removed = false;

  constructor(
    readonly workdir = '/app',
    private readonly handlers: ExecHandler[] = [],
  ) {}

  text(p: string): string | undefined {
    return this.files.get(p)?.data.toString('utf8');
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.execs.push({ command, opts });
    for (const h of this.handlers) {
      const r = h(command, opts);
      if (r) return result(r);
    }
    return result(this.builtin(command, opts));
  }

  private builtin(command: string, opts: ExecOptions): Partial<ExecResult> {
    let m: RegExpMatchArray | null;
    if (command === 'pwd') return { stdout: `${this.workdir}\n` };
    if ((m = command.match(/^stat -c %a -- '([^']+)' 2>\/dev\/null$/))) {
      const f = this.files.get(m[1]!);
      return f ? { stdout: `${f.mode.toString(8)}\n` } : { exitCode: 1 };
    }
    if ((m = command.match(/^cat (\S+)$/))) {
      const f = this.files.get(this.abs(m[1]!));
      return f
        ? { stdout: f.data.toString('utf8') }
        : { exitCode: 1, stderr: `cat: ${m[1]}: No such file or directory\n` };
    }
    if ((m = command.match(/^echo (.*) > (\S+)$/))) {
      this.files.set(this.abs(m[2]!), { data: Buffer.from(`${m[1]}\n`), mode: 0o644 });
      return {};
    }
    if (command === 'env')
      return {
        stdout: Object.entries(opts.env ?? {})
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      };
    return { exitCode: 127, stderr: `memory sandbox: unsupported command: ${command}\n` };
  }

  private abs(p: string): string {
    return path.posix.isAbsolute(p) ? p : path.posix.join(this.workdir, p);
  }

  async putFile(containerPath: string, content: string | Buffer, mode = 0o644): Promise<void> {
    this.files.set(containerPath, { data: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), mode });
  }

  async putDir(hostDir: string, containerDir: string): Promise<void> {
    for (const name of await readdir(hostDir)) {
      const full = path.join(hostDir, name);
      const st = await stat(full);
      if (st.isDirectory()) await this.putDir(full, path.posix.join(containerDir, name));
      else await this.putFile(path.posix.join(containerDir, name), await readFile(full), st.mode & 0o777);
    }
  }

  async getFile(containerPath: string): Promise<Buffer | null> {
    return this.files.get(containerPath)?.data ?? null;
  }

  async remove(): Promise<void> {
    this.removed = true;
  }
}

function result(r: Partial<ExecResult>): ExecResult {
  return {
    exitCode: r.exitCode === undefined ? 0 : r.exitCode,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut: r.timedOut ?? false,
    truncatedBytes: r.truncatedBytes ?? { stdout: 0, stderr: 0 },
    durationMs: r.durationMs ?? 1,
  };
}
