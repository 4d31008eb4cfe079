/** A real `temporal server start-dev` on a SQLite file, with our search attributes, for the shared-server e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { freePort } from '../../../src/temporal/dev-server';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../../src/temporal/search-attributes';
import { temporalCli, waitFor } from './cli';

export async function startTemporal(dbFile: string): Promise<{ address: string; proc: ChildProcess }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const proc = spawn(
    temporalCli(),
    [
      'server',
      'start-dev',
      '--headless',
      '--db-filename',
      dbFile,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--log-level',
      'warn',
      ...SEARCH_ATTRIBUTE_FLAGS,
    ],
    {
      stdio: 'ignore',
    },
  );
  await waitFor(
    'the Temporal dev server',
    async () => {
      const conn = await Connection.connect({ address, connectTimeout: 1000 }).catch(() => null);
      if (!conn) return false;
      try {
        return await conn.workflowService.getSystemInfo({}).then(
          () => true,
          () => false,
        );
      } finally {
        await conn.close();
      }
    },
    60_000,
    500,
  );
  return { address, proc };
}

/** Stops a server startTemporal started (if it still runs) and waits for it to exit. */
export async function stopTemporal(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await gone;
}
