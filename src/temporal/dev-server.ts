/**
 * A local Temporal dev server for one campaign folder: `temporal server start-dev --headless --db-filename
 * <campaignDir>/temporal.sqlite --port <free>`, with our search attributes registered. Reusing the same db
 * file resumes every workflow where it stopped. Binary: $TEMPORAL_CLI_PATH, else `temporal` on PATH, else
 * @temporalio/testing's cached download (last resort; needs network). Stopped on stop() or process exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type * as Testing from '@temporalio/testing';
import { SEARCH_ATTRIBUTE_FLAGS } from './search-attributes';
import { packageRoot } from '../util/package-root';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

class DevServerError extends Error {
  override readonly name = 'DevServerError';
  constructor(
    message: string,
    readonly binary: string | null,
  ) {
    super(message);
  }
}

export interface DevServerOptions {
  dbFile: string;
  port?: number;
  /** Web UI port; the UI is off unless given. */
  uiPort?: number;
  namespace?: string;
  readyTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  namespace: string;
  /** The server process (null when run by the SDK's test helper), so an orphan can be found after a kill -9. */
  pid: number | null;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** $TEMPORAL_CLI_PATH, else the one scripts/setup.sh installs (<package>/.tools/bin), else `temporal` on PATH, else null. */
export function findTemporalBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI_PATH) return env.TEMPORAL_CLI_PATH;
  const dirs = [path.join(packageRoot(), '.tools', 'bin'), ...(env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'temporal');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

async function waitReady(
  address: string,
  child: ChildProcess | null,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null)
      throw new DevServerError(`temporal dev server exited (${child.exitCode}): ${stderr().slice(-2000)}`, null);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await conn.workflowService.getSystemInfo({});
        return;
      } finally {
        await conn.close();
      }
    } catch {
      if (Date.now() > deadline)
        throw new DevServerError(
          `temporal dev server at ${address} not ready after ${timeoutMs} ms: ${stderr().slice(-2000)}`,
          null,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  mkdirSync(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  const binary = findTemporalBinary();
  if (!binary) return startDownloaded(opts, port, namespace);

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.resolve(opts.dbFile),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTE_FLAGS,
  ];
  if (opts.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort));
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => void (err = (err + d.toString()).slice(-8000)));
  const kill = (): void => void child.kill('SIGTERM');
  process.once('exit', kill);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(address, child, opts.readyTimeoutMs ?? 60_000, () => err);
  } catch (e) {
    await stop();
    throw new DevServerError((e as Error).message, binary);
  }
  return { address, namespace, pid: child.pid ?? null, stop };
}

/** Last resort: the SDK's test helper downloads and runs the CLI. */
async function startDownloaded(opts: DevServerOptions, port: number, namespace: string): Promise<DevServer> {
  let testing: typeof Testing;
  try {
    testing = await import('@temporalio/testing'); // a devDependency: absent in production installs
  } catch {
    throw new DevServerError('no Temporal CLI found: set TEMPORAL_CLI_PATH or put `temporal` on PATH', null);
  }
  const { TestWorkflowEnvironment } = testing;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      dbFilename: path.resolve(opts.dbFile),
      ip: '127.0.0.1',
      port,
      namespace,
      ui: opts.uiPort !== undefined,
      uiPort: opts.uiPort,
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      executable: { type: 'cached-download' },
    },
  }).catch((err: unknown) => {
    throw new DevServerError(
      `no Temporal CLI found and downloading one failed (${(err as Error).message}); run \`bash scripts/setup.sh\` or set TEMPORAL_CLI_PATH`,
      null,
    );
  });
  return { address: `127.0.0.1:${port}`, namespace, pid: null, stop: () => env.teardown() };
}
