/**
 * A campaign on a shared Temporal server survives its worker being killed -9 mid-generation, and is
 * steered from the CLI while it runs. All real: a `temporal server start-dev` we start on a SQLite file,
 * `autoagent worker` processes (the built CLI) with TEMPORAL_ADDRESS, Docker trials, the meta-agent in its
 * sandbox, the Anthropic SDK against the fake Messages API (support/campaign-fixture.ts). Checks that
 * every trial is stored and charged exactly once, and that the next worker reaps the dead one's sandboxes.
 * Fails (never skips) without Docker or TEMPORAL_CLI_PATH.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { campaignModel, isMeta, taskRuns, writeCampaign, type CampaignFiles } from './support/campaign-fixture';
import {
  ensureBuilt,
  jsonLines,
  runCli,
  startCli,
  temporalCli,
  waitFor,
  type CliEnv,
  type CliProcess,
} from './support/cli';
import { readStore, requireDocker, sandboxesOf } from './support/inspect';
import { startTemporal, stopTemporal } from './support/temporal-server';

jest.setTimeout(420_000);

const NAME = 'e2e-crash';
const TRAIN = ['write-alpha', 'write-beta', 'write-delta'];
const HOLDOUT = ['write-gamma'];
const HINT = 'Look-at-verifier-log-7731';

describe('campaign on a shared server: kill -9 of the worker, then pause / hint / budget / resume from the CLI', () => {
  let tmp = '';
  let fake: FakeAnthropic | null = null;
  let temporal: ChildProcess | null = null;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    temporalCli();
    await requireDocker();
    await ensureBuilt();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-campaign-crash-'));
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await stopTemporal(temporal);
    await fake?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('completes after the worker is killed mid-generation: each trial stored and charged once, no orphan sandbox', async () => {
    const server = await startTemporal(path.join(tmp, 'temporal.sqlite'));
    temporal = server.proc;
    // Slow model turns keep trials in flight long enough to kill the worker between two of them.
    fake = await startFakeAnthropic(campaignModel({ taskDelayMs: 4000 }));
    const files: CampaignFiles = await writeCampaign(path.join(tmp, 'project'), {
      name: NAME,
      train: TRAIN,
      holdout: HOLDOUT,
      generations: 1,
      k: 1,
      concurrency: 2,
    });
    // Its own owner host: no other test's eval or worker (hostname) reaps the sandboxes its killed worker leaves.
    const env: CliEnv = {
      baseUrl: fake.url,
      temporalAddress: server.address,
      env: { AUTOAGENT_OWNER_HOST: `crash-test-${process.pid}` },
    };
    const startWorker = async (): Promise<CliProcess> => {
      const w = startCli(['worker', '--trial-slots', '2'], env);
      workers.push(w);
      await waitFor(
        'the worker to poll',
        () => w.stderr().includes(`autoagent worker on ${server.address}`) || w.child.exitCode !== null,
        120_000,
      );
      expect(w.child.exitCode).toBeNull();
      return w;
    };
    const store = () => readStore(files.campaignDir, NAME);

    const w1 = await startWorker();
    const started = await runCli(['run', files.yaml, '--detach'], env);
    expect(started).toMatchObject({ code: 0, stdout: '' });
    expect(started.stderr).toContain(`campaign ${NAME}: started`);

    // Kill -9 while the baseline is half done: some trials stored, the others in flight in w1's sandboxes.
    const w1Pid = w1.child.pid!;
    await waitFor(
      'a half-done baseline',
      async () => {
        const stored = (await store()).trials.length;
        return stored >= 1 && stored < TRAIN.length && stored + (await sandboxesOf(w1Pid)).length === TRAIN.length;
      },
      180_000,
    );
    w1.child.kill('SIGKILL');
    await w1.exited;
    const orphans = (await sandboxesOf(w1Pid)).length;
    expect(orphans).toBeGreaterThanOrEqual(1);
    const storedAtKill = (await store()).trials.map((t) => t.trialId);

    const w2 = await startWorker();
    expect(w2.stderr()).toContain(`reaped ${orphans} orphaned sandbox(es)`);
    expect(await sandboxesOf(w1Pid)).toEqual([]);

    // Steer it while the dead worker's trials wait for their heartbeat timeout.
    expect(await runCli(['pause', files.yaml], env)).toMatchObject({ code: 0, stdout: 'pause requested\n' });
    expect(await runCli(['hint', files.yaml, ...HINT.split(' ')], env)).toMatchObject({
      code: 0,
      stdout: 'hint added (1 in total)\n',
    });
    const budget = await runCli(['budget', files.yaml, '--trials', '40'], env);
    expect(budget.code).toBe(0);
    expect(JSON.parse(budget.stdout.replace(/^budget now /, ''))).toEqual({ usd: 5, trials: 40 });
    const bad = await runCli(['budget', files.yaml, '--trials', '-3'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--trials');

    // Paused: the baseline's scheduled trials finish, but no generation starts.
    const paused = await waitFor(
      'the baseline to finish while paused',
      async () => {
        const r = await runCli(['status', files.yaml, '--json'], env);
        const j = JSON.parse(r.stdout) as {
          status: {
            paused: boolean;
            phase: string;
            generation: number;
            hints: number;
            budget: object;
            candidates: { evaluated: number };
          };
        };
        return j.status.candidates.evaluated === 1 && j.status.phase === 'generation' ? j.status : null;
      },
      150_000,
      1000,
    );
    expect(paused).toMatchObject({
      paused: true,
      phase: 'generation',
      generation: 0,
      hints: 1,
      budget: { usd: 5, trials: 40 },
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect((await store()).proposals).toEqual([]);
    expect(fake.requests.filter(isMeta)).toEqual([]);

    // Resume, and follow it to the end as a client (`run` attaches to the running campaign).
    expect(await runCli(['resume', files.yaml], env)).toMatchObject({ code: 0, stdout: 'resume requested\n' });
    const follow = await runCli(['run', files.yaml, '--json'], env, 240_000);
    expect(follow.code).toBe(0);
    expect(follow.stderr).toContain(`campaign ${NAME}: running`);
    const summary = jsonLines(follow.stdout).at(-1)!;
    expect(summary).toMatchObject({
      type: 'summary',
      generations: 1,
      best: { trainScore: 1, holdoutScore: 1 },
      seed: { trainScore: 0 },
    });

    // Each trial stored once and charged once, the trials stored before the kill kept as they were.
    const s = await store();
    const ids = s.trials.map((t) => t.trialId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(3 + 3 + 2); // baseline, the one child, holdout (best + seed)
    const keys = s.trials.map((t) => `${t.candidateId}/${t.task}/${t.repeat}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const id of storedAtKill) expect(ids).toContain(id);
    expect(summary['ledger']).toMatchObject({ trials: ids.length, proposals: 1 });
    // A trial the dead worker was running ran again (at most once more); none ran more than that.
    expect(taskRuns(fake.requests)).toBeGreaterThanOrEqual(ids.length);
    expect(taskRuns(fake.requests)).toBeLessThanOrEqual(ids.length + orphans);

    // The worker set the campaign's search attributes too (it hands its connection to the lookup).
    const conn = await Connection.connect({ address: server.address });
    try {
      const desc = await new Client({ connection: conn }).workflow.getHandle(`campaign/${NAME}`).describe();
      expect(desc.searchAttributes.AutoAgentCampaign).toEqual([NAME]);
    } finally {
      await conn.close();
    }

    // The meta-agent was given the hint (it read hints.md with bash).
    const seen = fake.requests
      .filter(isMeta)
      .map((r) => JSON.stringify(r.body))
      .join('\n');
    expect(seen).toContain(HINT);

    w2.child.kill('SIGTERM');
    expect(await w2.exited).toEqual({ code: 0, signal: null });
    expect(await sandboxesOf(w2.child.pid!)).toEqual([]);
  });
});

// The two-workers suite, in this file so never beside the crash test (each kills a worker, and a new worker
// reaps every orphan on the machine): registered after it, so the crash test keeps its place in the run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./two-workers.suite');
