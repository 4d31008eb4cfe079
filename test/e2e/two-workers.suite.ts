/**
 * Many machines, nothing shared but services. Two `autoagent worker` processes (the built CLI), each in a
 * mount namespace of its own where the client's folder is covered by a private tmpfs: they cannot see the
 * client's campaign.yaml, tasks, seed harness or campaign folder, nor each other's files. All they have is
 * Temporal (a real dev server), the record store (a real PostgreSQL) and the artifact store (a real
 * S3-compatible SeaweedFS), over loopback TCP, plus the Docker engine. The client runs `autoagent run` with
 * TEMPORAL_ADDRESS set; one worker is killed -9 mid-generation and the other finishes the campaign; every
 * trial is recorded exactly once and the report renders from PostgreSQL + S3. Fails (never skips) without
 * Docker, the services or `unshare`.
 *
 * Run from campaign-crash.test.ts, one after the other: both kill -9 a worker, and a worker's start-up reaps
 * every dead worker's sandboxes on the machine (by design), so run side by side each would reap the other's.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { fetchFolderBundle } from '../../src/artifacts/bundles';
import { artifactStoreFromEnv } from '../../src/artifacts/from-url';
import { trialsDir, storeFile } from '../../src/campaign/layout';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { queryRows, sharedStores, type SharedStores } from '../support/services';
import { campaignModel, writeCampaign, type CampaignFiles } from './support/campaign-fixture';
import { ensureBuilt, jsonLines, runCli, startCli, waitFor, type CliEnv, type CliProcess } from './support/cli';
import { docker, readStore, requireDocker, sandboxesOf } from './support/inspect';
import { Client, Connection } from '@temporalio/client';
import { startTemporal, stopTemporal } from './support/temporal-server';

const run = promisify(execFile);

const NAME = 'e2e-two-workers';
const TRAIN = ['write-alpha', 'write-beta', 'write-delta'];
const HOLDOUT = ['write-gamma'];

describe('two workers that share no filesystem with the client or each other', () => {
  let tmp = '';
  let stores: SharedStores | null = null;
  let fake: FakeAnthropic | null = null;
  let temporal: ChildProcess | null = null;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    await requireDocker();
    await ensureBuilt();
    await run('unshare', ['--version']).catch(() => {
      throw new Error('this test needs util-linux `unshare` (a mount namespace per worker)');
    });
    stores = await sharedStores('twoworkers');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-two-workers-'));
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      // A killed worker's sandboxes: the next worker on that machine would reap them; none will here.
      for (const c of await sandboxesOf(w.child.pid!)) await docker.getContainer(c.Id).remove({ force: true });
    }
    await stopTemporal(temporal);
    await fake?.close();
    await stores?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a campaign completes after one worker is killed -9; trials recorded once; the report comes from PostgreSQL + S3', async () => {
    const server = await startTemporal(path.join(tmp, 'temporal.sqlite'));
    temporal = server.proc;
    fake = await startFakeAnthropic(campaignModel({ taskDelayMs: 3000 }));
    const files: CampaignFiles = await writeCampaign(path.join(tmp, 'project'), {
      name: NAME,
      train: TRAIN,
      holdout: HOLDOUT,
      generations: 1,
      k: 1,
      concurrency: 4,
    });
    const env: CliEnv = { baseUrl: fake.url, temporalAddress: server.address, env: { ...stores!.env } };

    // Each worker: its own mount namespace, a private tmpfs over the whole test folder (the client's files
    // and the other worker's are out of sight), its HOME and bundle cache inside that tmpfs.
    const startWorker = async (n: number): Promise<CliProcess> => {
      const own = path.join(tmp, `worker-${n}`);
      const w = startCli(['worker', '--trial-slots', '2'], {
        ...env,
        env: {
          ...env.env,
          AA_HIDE: tmp,
          HOME: path.join(own, 'home'),
          AUTOAGENT_CACHE_DIR: path.join(own, 'cache'),
          TMPDIR: own,
        },
        wrap: [
          'unshare',
          '--mount',
          '--propagation',
          'private',
          '--',
          'sh',
          '-c',
          'mount -t tmpfs -o size=4g autoagent-worker "$AA_HIDE" && mkdir -p "$TMPDIR" && exec "$@"',
          'sh',
        ],
      });
      workers.push(w);
      await waitFor(
        `worker ${n} to poll`,
        () => w.stderr().includes(`autoagent worker on ${server.address}`) || w.child.exitCode !== null,
        120_000,
      );
      expect(w.child.exitCode).toBeNull();
      return w;
    };
    const w1 = await startWorker(1);
    const w2 = await startWorker(2);

    // Nothing of the client's is visible inside a worker's namespace (the campaign.yaml, the tasks).
    for (const w of [w1, w2]) {
      const seen = await run('nsenter', ['--target', String(w.child.pid), '--mount', 'ls', '-A', tmp]);
      expect(seen.stdout.split('\n').filter(Boolean)).toEqual([`worker-${w === w1 ? 1 : 2}`]);
    }

    const started = await runCli(['run', files.yaml, '--detach'], env);
    // On a failure the message shows why (stderr).
    expect({ code: started.code, why: started.code === 0 ? '' : started.stderr }).toEqual({ code: 0, why: '' });
    expect(started.stderr).toMatch(/published 4 task\(s\), the seed harness and the program to s3:\/\//);
    expect(started.stderr).toContain(`campaign ${NAME}: started`);

    // Kill -9 the first worker while it has trials in flight.
    const w1Pid = w1.child.pid!;
    await waitFor('worker 1 to run a trial', async () => (await sandboxesOf(w1Pid)).length >= 1, 180_000);
    w1.child.kill('SIGKILL');
    await w1.exited;

    const follow = await runCli(['run', files.yaml, '--json'], env, 300_000);
    expect(follow.code).toBe(0);
    const summary = jsonLines(follow.stdout).at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', generations: 1, best: { trainScore: 1, holdoutScore: 1 } });

    // Every trial recorded exactly once (in PostgreSQL), and charged once.
    const s = await readStore(files.campaignDir, NAME, stores!.env);
    const ids = s.trials.map((t) => t.trialId);
    expect(ids).toHaveLength(3 + 3 + 2); // baseline, the one child, holdout (best + seed)
    expect(new Set(ids).size).toBe(ids.length);
    expect(summary['ledger']).toMatchObject({ trials: ids.length, proposals: 1 });
    expect(
      await queryRows(
        stores!.pgUrl,
        'SELECT COUNT(*) AS n, COUNT(DISTINCT trial_id) AS d FROM trials WHERE campaign = $1',
        [NAME],
      ),
    ).toEqual([{ n: String(ids.length), d: String(ids.length) }]);
    // Each trial's other files (Harbor's records, build log, collected artifacts) went up as one bundle, and
    // the workers kept no trial folder: every file of a trial is stored once, in the services.
    const artifacts = artifactStoreFromEnv('/unused', stores!.env);
    for (const t of s.trials) {
      expect(t.filesHash).toMatch(/^[0-9a-f]{64}$/);
      expect(await artifacts.has(t.filesHash as string)).toBe(true);
    }
    const files0 = await fetchFolderBundle(artifacts, s.trials[0]!.filesHash as string, path.join(tmp, 'check'));
    expect(existsSync(path.join(files0, 'autoagent.json'))).toBe(true);
    expect(existsSync(path.join(files0, 'agent', 'trajectory.json'))).toBe(false); // stored on its own
    // A worker writes nowhere the client's folder is named: its campaign files live in its own cache
    // (AUTOAGENT_CACHE_DIR/campaigns/<name>), where it kept no trial folder either.
    const left = await run('nsenter', [
      '--target',
      String(w2.child.pid),
      '--mount',
      'sh',
      '-c',
      `ls -A ${tmp}; ls -A ${trialsDir(path.join(tmp, 'worker-2', 'cache', 'campaigns', NAME))} 2>/dev/null || true`,
    ]);
    expect(left.stdout.split('\n').filter(Boolean)).toEqual(['worker-2']);

    // The client's campaign folder holds no records, no artifacts and no trial folders: the workers wrote
    // theirs into their own namespaces, and the records and blobs into the services.
    expect(existsSync(storeFile(files.campaignDir))).toBe(false);
    expect(existsSync(trialsDir(files.campaignDir))).toBe(false);

    // The report and the status, from PostgreSQL + S3 (the trajectories too).
    const report = await runCli(['report', files.campaignDir, '--out', path.join(tmp, 'report.html')], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/wrote .*report\.html .*8 trials/);
    const status = await runCli(['status', files.yaml, '--json'], { ...env, temporalAddress: undefined });
    expect(JSON.parse(status.stdout)).toMatchObject({ trials: 8, bestTrainScore: 1, bestHoldoutScore: 1 });

    // References, not paths: in every payload of every workflow of the campaign (inputs, activity inputs and
    // results, carried state), the client's folder is named only as the campaign's home, never a task, the seed,
    // program.md or a harness folder.
    const payloads = await allPayloadText(server.address);
    const project = path.dirname(files.yaml);
    expect(payloads.length).toBeGreaterThan(10_000);
    expect(payloads.split(project).length - 1).toBe(payloads.split(`"${files.campaignDir}"`).length - 1);
    expect(payloads).not.toContain(path.join(project, 'tasks'));

    w2.child.kill('SIGTERM');
    expect(await w2.exited).toEqual({ code: 0, signal: null });
  });
});

/** The text of every payload in the histories of every workflow on the server (JSON-encoded payloads). */
async function allPayloadText(address: string): Promise<string> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const texts: string[] = [];
    const collect = (v: unknown): void => {
      if (v instanceof Uint8Array) texts.push(Buffer.from(v).toString('utf8'));
      else if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    for await (const wf of client.workflow.list())
      collect(await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory());
    return texts.join('\n');
  } finally {
    await connection.close();
  }
}
