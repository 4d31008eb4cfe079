/**
 * The campaign-folder dev server: starts on a free port with our search attributes registered, and a
 * restart on the same db file finds earlier workflows (that is how `autoagent run` resumes).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { connectClient } from '../../src/temporal/connection';
import { startDevServer } from '../../src/temporal/dev-server';
import { registeredSearchAttributes, SEARCH_ATTRIBUTE_NAMES } from '../../src/temporal/search-attributes';

test('a restarted dev server on the same db file keeps workflows and search attributes', async () => {
  if (!process.env.TEMPORAL_CLI_PATH)
    throw new Error('TEMPORAL_CLI_PATH is not set: this test needs the Temporal CLI binary');
  const dbFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'autoagent-devserver-')), 'temporal.sqlite');
  for (const round of [1, 2]) {
    const server = await startDevServer({ dbFile });
    const client = await connectClient({ address: server.address, namespace: server.namespace });
    try {
      if (round === 1)
        await client.workflow.start('NoSuchWorkflow', { workflowId: 'persisted', taskQueue: 'nobody', args: [] });
      expect((await client.workflow.getHandle('persisted').describe()).status.name).toBe('RUNNING');
      expect(await registeredSearchAttributes(client.connection as Connection)).toEqual(SEARCH_ATTRIBUTE_NAMES);
    } finally {
      await client.connection.close();
      await server.stop();
    }
  }
});
