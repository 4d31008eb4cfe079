/**
 * One command inside a running container, with a timeout that holds on both sides:
 *  - inside: `timeout -k 5 <sec>` (coreutils, when present) kills the command's process group;
 *  - on the host: if the exec has not ended by timeout + grace, we stop waiting and kill every process
 *    carrying this exec's marker env var (a separate exec scanning /proc), so nothing hung can leak.
 * Output is demultiplexed and bounded (head + tail). Never throws for a non-zero exit or a timeout; only
 * for Docker failures (SandboxError, or DockerUnavailableError when the daemon is gone).
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { SandboxError, asSystemic } from './errors';
import { HeadTailBuffer } from './output-buffer';
import type { ExecOptions, ExecResult } from './types';

const DEFAULT_EXEC_TIMEOUT_SEC = 600;
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
const KILL_GRACE_SEC = 5;
const HOST_SLACK_MS = 3000;
const MARKER_VAR = 'AUTOAGENT_EXEC';

/**
 * `sh -c WRAPPER sh <timeoutSec> <command>`: prefers bash and coreutils timeout, falls back to plain sh.
 * The command travels as a positional argument, so no quoting and nothing extra in its environment.
 */
const WRAPPER = [
  't=$1; c=$2; shift 2',
  'if command -v bash >/dev/null 2>&1; then s=bash; else s=sh; fi',
  `if command -v timeout >/dev/null 2>&1; then exec timeout -k ${KILL_GRACE_SEC} "$t" "$s" -c "$c"; fi`,
  'exec "$s" -c "$c"',
].join('\n');

/** Kills every process whose environment holds the marker (covers setsid'd / reparented children). */
const killScript = (marker: string): string =>
  `for p in /proc/[0-9]*; do if grep -qsz '^${MARKER_VAR}=${marker}$' "$p/environ"; then kill -9 "\${p#/proc/}" 2>/dev/null; fi; done; true`;

function sink(buf: HeadTailBuffer): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      buf.write(chunk);
      cb();
    },
  });
}

async function createExec(
  container: Docker.Container,
  cmd: string[],
  opts: ExecOptions,
  env: string[],
): Promise<Docker.Exec> {
  return container.exec({
    Cmd: cmd,
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: false,
    Tty: false,
    Env: env,
    ...(opts.cwd ? { WorkingDir: opts.cwd } : {}),
    ...(opts.user ? { User: opts.user } : {}),
  });
}

/** Resolves when the exec's stream ends, or with 'timeout' after `ms` (then the stream is destroyed). */
function waitForEnd(
  stream: NodeJS.ReadableStream & { destroy?: () => void },
  ms: number,
): Promise<'ended' | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy?.();
      resolve('timeout');
    }, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve('ended');
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function exitCodeOf(exec: Docker.Exec): Promise<number | null> {
  for (let i = 0; i < 20; i++) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode ?? null;
    await new Promise((r) => setTimeout(r, 25));
  }
  return null;
}

/** Best effort: a pids-limited container may refuse new processes for a moment, so retry briefly. */
async function killMarked(container: Docker.Container, marker: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const ex = await container.exec({
        Cmd: ['sh', '-c', killScript(marker)],
        User: '0',
        AttachStdout: true,
        AttachStderr: true,
      });
      const s = await ex.start({ hijack: true, stdin: false });
      s.resume();
      if ((await waitForEnd(s, 10_000)) === 'ended') return;
    } catch {
      /* container busy or gone: retry, then give up (remove() kills everything anyway) */
    }
    await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
  }
}

export async function runExec(
  docker: Docker,
  container: Docker.Container,
  command: string,
  opts: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutSec = opts.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC;
  const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const marker = randomBytes(8).toString('hex');
  const env = [...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`), `${MARKER_VAR}=${marker}`];
  const out = new HeadTailBuffer(maxBytes);
  const err = new HeadTailBuffer(maxBytes);
  const t0 = Date.now();
  let exec: Docker.Exec;
  let outcome: 'ended' | 'timeout';
  try {
    exec = await createExec(container, ['sh', '-c', WRAPPER, 'sh', String(timeoutSec), command], opts, env);
    const stream = await exec.start({ hijack: true, stdin: false });
    docker.modem.demuxStream(stream, sink(out), sink(err));
    outcome = await waitForEnd(stream, timeoutSec * 1000 + KILL_GRACE_SEC * 1000 + HOST_SLACK_MS);
  } catch (e) {
    const sys = asSystemic(e);
    if (sys !== e) throw sys;
    throw new SandboxError({ operation: 'exec', containerId: container.id, message: (e as Error).message, cause: e });
  }
  const exitCode = outcome === 'ended' ? await exitCodeOf(exec).catch(() => null) : null;
  const durationMs = Date.now() - t0;
  // 124 = timeout's TERM, 137 = its KILL after the grace period; a fast 124 is the command's own exit code.
  const timedOut =
    outcome === 'timeout' || ((exitCode === 124 || exitCode === 137) && durationMs >= timeoutSec * 1000 - 50);
  if (timedOut) await killMarked(container, marker);
  return {
    exitCode: timedOut ? null : exitCode,
    stdout: out.toString(),
    stderr: err.toString(),
    timedOut,
    truncatedBytes: { stdout: out.truncatedBytes, stderr: err.truncatedBytes },
    durationMs,
  };
}
