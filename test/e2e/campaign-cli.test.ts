/**
 * `autoagent run <campaign.yaml>` end to end in its self-contained mode: the built CLI as a child process
 * starts its own Temporal dev server (persisted in the campaign folder) and in-process workers; real Docker
 * trials on a generated benchmark; the real meta-agent in its own sandbox; the real Anthropic SDK against
 * the fake Messages API, whose model (support/campaign-fixture.ts) makes the search outcome predictable.
 * Also: Ctrl-C of `run`, then kill -9 of the next `run` mid-generation (its dev server and sandboxes
 * outlive it), and each next `run` cleans up and resumes the same campaign. Fails (never skips) without
 * Docker or TEMPORAL_CLI_PATH.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeReply,
  type RecordedRequest,
} from '../support/fake-anthropic';
import {
  BREAK,
  MAGIC,
  campaignModel,
  isMeta,
  taskRuns,
  writeCampaign,
  type CampaignSpec,
} from './support/campaign-fixture';
import { API_KEY, ensureBuilt, jsonLines, runCli, startCli, temporalCli, waitFor } from './support/cli';
import { processesMentioning, readStore, requireDocker, running, sandboxesOf } from './support/inspect';

jest.setTimeout(300_000);

const TRAIN = ['write-alpha', 'write-beta'];
const HOLDOUT = ['write-gamma'];

/**
 * Wraps the fake model with a gate: while armed, every task-agent request is recorded in `held` and its reply
 * waits for `release()`. A held request means a trial is inside its agent loop, so its sandbox provably
 * exists: the test can kill the CLI then without racing the trial's end (meta-agent calls are never held).
 */
function taskGate(model: (req: RecordedRequest) => FakeReply) {
  let open: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const held: RecordedRequest[] = [];
  return {
    held,
    arm: () => {
      gate = new Promise<void>((resolve) => {
        open = resolve;
      });
    },
    release: () => {
      open?.();
      gate = null;
      open = null;
    },
    model: async (req: RecordedRequest): Promise<FakeReply> => {
      if (gate && !isMeta(req)) {
        held.push(req);
        await gate;
      }
      return model(req);
    },
  };
}

/** Every file under dir (for the "no key on disk" check). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

describe('autoagent run (embedded Temporal, real Docker, real meta-agent, fake Messages API)', () => {
  let tmp = '';
  const fakes: FakeAnthropic[] = [];
  const gates: ReturnType<typeof taskGate>[] = [];

  beforeAll(async () => {
    temporalCli();
    await requireDocker();
    await ensureBuilt();
  }, 240_000);

  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-campaign-cli-'));
  });

  afterEach(async () => {
    // A failed test may leave a CLI or an orphaned dev server running on tmp: they are ours, end them.
    for (const p of processesMentioning(tmp)) {
      try {
        process.kill(Number(p.split(':')[0]), 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
    for (const g of gates.splice(0)) g.release();
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    await rm(tmp, { recursive: true, force: true });
  });

  const setup = async (spec: Omit<CampaignSpec, 'train' | 'holdout'>, taskDelayMs = 0) => {
    const gate = taskGate(campaignModel({ taskDelayMs }));
    gates.push(gate);
    const fake = await startFakeAnthropic(gate.model);
    fakes.push(fake);
    return { fake, gate, files: await writeCampaign(tmp, { ...spec, train: TRAIN, holdout: HOLDOUT }) };
  };

  it('runs a small campaign: baseline 0, the fix is accepted and holds on holdout, the regression is rejected', async () => {
    const { fake, files } = await setup({ name: 'e2e-full', generations: 2, k: 2 });
    const run = startCli(['run', files.yaml, '--json'], { baseUrl: fake.url });
    const { code } = await run.exited;
    expect({ code, stderr: run.stderr() }).toEqual({
      code: 0,
      stderr: expect.stringContaining('campaign e2e-full: started'),
    });
    expect(run.stderr()).not.toContain('autoagent:'); // the CLI's error prefix
    expect(run.stderr()).not.toMatch(/webpack|\[INFO\]/); // progress, not the worker SDK's chatter

    const lines = jsonLines(run.stdout());
    const statuses = lines
      .filter((l) => l['type'] === 'status')
      .map((l) => l['status'] as { generation: number; phase: string });
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.map((s) => s.generation)).toEqual([...statuses.map((s) => s.generation)].sort((a, b) => a - b));
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({
      type: 'summary',
      name: 'e2e-full',
      generations: 2,
      stopReason: expect.stringMatching(/generation/i),
      seed: { trainScore: 0, holdoutScore: 0 },
      best: { trainScore: 1, holdoutScore: 1 },
      candidates: { evaluated: 2, rejected: 2, invalid: 1 },
    });

    // The store tells the same story, candidate by candidate.
    const s = await readStore(files.campaignDir, 'e2e-full');
    const seed = s.candidates.find((c) => c.generation === 0)!;
    expect(seed).toMatchObject({ status: 'evaluated', meanReward: 0, parentId: null });
    const byGen = (g: number) => s.candidates.filter((c) => c.generation === g);
    const fix = byGen(1).find((c) => c.status === 'evaluated')!;
    expect(fix).toMatchObject({
      parentId: seed.id,
      meanReward: 1,
      taskRewards: { 'write-alpha': [1], 'write-beta': [1] },
    });
    expect(summary['best']).toMatchObject({ candidateId: fix.id });
    expect(byGen(1).find((c) => c.status === 'invalid')).toMatchObject({
      verdict: expect.stringContaining('no change'),
    });
    const rejected = byGen(2);
    expect(rejected).toHaveLength(2);
    for (const r of rejected)
      expect(r).toMatchObject({
        status: 'rejected',
        parentId: fix.id,
        meanReward: 0,
        // The default evaluation (minibatch) screens each child on one of the two train tasks first.
        verdict: 'minibatch screen failed: 0 vs parent 1 on a minibatch of 1 tasks',
      });
    expect(s.proposals).toHaveLength(4);

    // Every trial ran once and was charged once; holdout tasks never reached the meta-agent.
    const ids = s.trials.map((t) => t.trialId);
    expect(new Set(ids).size).toBe(ids.length);
    // baseline, gen 1 (one valid child, screened, then the rest), gen 2 (two children stopped by the screen), holdout (best + seed)
    expect(ids).toHaveLength(2 + 2 + 2 + 2);
    expect(summary['ledger']).toMatchObject({ trials: ids.length, proposals: 4 });
    expect((summary['ledger'] as { costUsd: number }).costUsd).toBeGreaterThan(0);
    expect(taskRuns(fake.requests)).toBe(ids.length);
    const metaRequests = fake.requests.filter(isMeta);
    expect(metaRequests.length).toBeGreaterThan(0);
    for (const r of metaRequests) expect(JSON.stringify(r.body)).not.toContain('gamma');
    // The harness edits really reached the task agent's prompt.
    expect(
      s.trials
        .filter((t) => t.reward === 1)
        .map((t) => t.task)
        .sort(),
    ).toEqual(['write-alpha', 'write-beta', 'write-gamma']);
    expect(
      fake.requests.some(
        (r) => !isMeta(r) && JSON.stringify(r.body).includes(MAGIC) && JSON.stringify(r.body).includes(BREAK),
      ),
    ).toBe(true);

    // Afterwards: no server file, no sandbox left, no key on disk; status works offline from the store.
    expect(existsSync(path.join(files.campaignDir, 'server.json'))).toBe(false);
    expect(existsSync(path.join(files.campaignDir, 'temporal.sqlite'))).toBe(true);
    expect(await sandboxesOf(run.child.pid!)).toEqual([]);
    for (const f of filesUnder(files.campaignDir))
      expect({ f, leak: readFileSync(f).includes(API_KEY) }).toEqual({ f, leak: false });

    const status = await runCli(['status', files.yaml, '--json'], { baseUrl: fake.url });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      running: false,
      name: 'e2e-full',
      trials: ids.length,
      bestTrainScore: 1,
      bestHoldoutScore: 1,
      bestCandidateId: fix.id,
      bestHarness: { candidateId: fix.id, export: expect.stringContaining(`autoagent export ${files.yaml} --out `) },
      candidates: { evaluated: 2, rejected: 2, invalid: 1 },
      lastEvent: 'completed',
    });

    const report = await runCli(['report', files.campaignDir], { baseUrl: fake.url });
    expect(report.code).toBe(0);
    const html = path.join(files.campaignDir, 'report.html');
    expect(report.stdout).toContain(html);
    expect(statSync(html).size).toBeGreaterThan(1000);
    const page = readFileSync(html, 'utf8');
    // The header numbers: best candidate, its train score, and its holdout score (holdout trials told apart).
    expect(page).toContain(`"bestId":"${fix.id}","bestTrain":1,"bestHoldout":1,`);
  });

  it('Ctrl-C stops `run` cleanly, a kill -9 leaves an orphaned server and sandboxes; each next `run` resumes (no restart, no trial rerun)', async () => {
    const { fake, gate, files } = await setup({ name: 'e2e-resume', generations: 2, k: 2 }, 1500);
    const store = () => readStore(files.campaignDir, 'e2e-resume');
    // Its own owner host: no other test's eval or worker (hostname) reaps the sandboxes its killed run leaves.
    const cli = { baseUrl: fake.url, env: { AUTOAGENT_OWNER_HOST: `campaign-cli-${process.pid}` } };
    const first = startCli(['run', files.yaml, '--json'], cli);
    // Interrupt once generation 1 is evaluating: the baseline is done and a child's trial is stored.
    const seedId = await waitFor(
      'the baseline',
      async () => (await store()).candidates.find((c) => c.generation === 0)?.id,
      150_000,
    );
    await waitFor(
      'a generation-1 trial',
      async () => (await store()).trials.some((t) => t.candidateId !== seedId),
      150_000,
    );
    expect(first.child.exitCode).toBeNull();
    first.child.kill('SIGINT');
    const exit1 = await first.exited;
    expect({ exit: exit1, stderr: first.stderr() }).toEqual({
      exit: { code: 0, signal: null },
      stderr: expect.stringContaining('interrupted: campaign e2e-resume is resumable'),
    });
    expect(jsonLines(first.stdout()).some((l) => l['type'] === 'summary')).toBe(false);
    expect(existsSync(path.join(files.campaignDir, 'server.json'))).toBe(false);
    expect(await sandboxesOf(first.child.pid!)).toEqual([]);
    const atInterrupt = await store();
    expect(atInterrupt.events.some((e) => e.kind === 'completed')).toBe(false);
    expect(taskRuns(fake.requests)).toBe(atInterrupt.trials.length); // Ctrl-C abandoned no started trial

    // The second run resumes, then dies by kill -9 mid-generation: with trials stored since and sandboxes up.
    const second = startCli(['run', files.yaml, '--json'], cli);
    const statusOf2 = () =>
      jsonLines(second.stdout().slice(0, second.stdout().lastIndexOf('\n') + 1)).find((l) => l['type'] === 'status');
    await waitFor(
      'a trial and a status line of the second run',
      async () => (await store()).trials.length > atInterrupt.trials.length && statusOf2(),
      150_000,
    );
    // Hold the next task-agent replies: the kill then lands while a trial is provably mid-agent-loop.
    gate.arm();
    await waitFor(
      'a task-agent reply of the second run held, with its sandboxes running',
      async () => gate.held.length > 0 && (await sandboxesOf(second.child.pid!)).length > 0,
      150_000,
    );
    const resumedStatus = statusOf2();
    expect(resumedStatus?.['status']).toMatchObject({ phase: expect.not.stringMatching(/^preparing$/) });
    expect((resumedStatus!['status'] as { trialsDone: number }).trialsDone).toBeGreaterThanOrEqual(2); // the baseline was carried, not rerun
    expect(second.stderr()).toContain('campaign e2e-resume: running');
    second.child.kill('SIGKILL');
    expect(await second.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = await store();
    const abandoned = taskRuns(fake.requests) - atKill.trials.length; // started by the dead run, never stored
    expect(atKill.events.some((e) => e.kind === 'completed')).toBe(false);
    // What the killed run left behind: its server file, its dev server (alive, on this campaign's db), its sandboxes.
    const serverFile = JSON.parse(readFileSync(path.join(files.campaignDir, 'server.json'), 'utf8')) as {
      pid: number;
      serverPid: number;
    };
    expect(serverFile).toMatchObject({ pid: second.child.pid, serverPid: expect.any(Number) });
    expect(running(serverFile.serverPid)).toBe(true);
    expect(processesMentioning(files.campaignDir)).toEqual([
      expect.stringMatching(new RegExp(`^${serverFile.serverPid}: .*server start-dev`)),
    ]);
    const orphans = await sandboxesOf(second.child.pid!);
    expect(orphans.length).toBeGreaterThan(0);
    gate.release(); // the held replies go to a dead client; the third run's calls are answered at once

    // The third run stops the orphaned server, reaps the sandboxes, resumes and completes.
    const third = startCli(['run', files.yaml, '--json'], cli);
    const exit3 = await third.exited;
    expect({ exit: exit3, stderr: third.stderr() }).toEqual({
      exit: { code: 0, signal: null },
      stderr: expect.stringContaining('campaign e2e-resume: running'),
    });
    expect(third.stderr()).toContain('stopped the dev server a killed run left behind');
    expect(Number(/reaped (\d+) orphaned sandbox\(es\)/.exec(third.stderr())?.[1])).toBeGreaterThanOrEqual(
      orphans.length,
    );
    const lines = jsonLines(third.stdout());
    expect((lines.find((l) => l['type'] === 'status')!['status'] as { phase: string }).phase).not.toBe('preparing');
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      generations: 2,
      best: { trainScore: 1, holdoutScore: 1 },
      candidates: { evaluated: 2, rejected: 2, invalid: 1 },
    });

    const s = await store();
    expect(s.events.filter((e) => e.kind === 'prepared')).toHaveLength(1); // resumed, never restarted
    expect(s.events.filter((e) => e.kind === 'completed')).toHaveLength(1);
    expect(Math.max(...s.candidates.map((c) => c.generation))).toBe(2);
    const ids = s.trials.map((t) => t.trialId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(8); // as in the uninterrupted campaign above: nothing ran twice
    for (const t of [...atInterrupt.trials, ...atKill.trials])
      expect(s.trials.find((x) => x.trialId === t.trialId)?.createdAt).toBe(t.createdAt);
    expect((lines.at(-1) as { ledger: { trials: number } }).ledger.trials).toBe(ids.length);
    // Across the three processes every stored trial ran once; only those the kill cut short ran again.
    expect(abandoned).toBeLessThanOrEqual(2);
    expect(taskRuns(fake.requests)).toBe(ids.length + abandoned);

    // Nothing left: no server (file or process) for this campaign, no sandbox of any of the three runs.
    expect(existsSync(path.join(files.campaignDir, 'server.json'))).toBe(false);
    expect(running(serverFile.serverPid)).toBe(false);
    expect(processesMentioning(files.campaignDir)).toEqual([]);
    for (const p of [first, second, third]) expect(await sandboxesOf(p.child.pid!)).toEqual([]);
  }, 480_000);
});
