/**
 * Faults are not results, end to end on a real Temporal dev server: the production activity deps (Docker
 * trials with the harness agent, the meta-agent in its own sandbox, campaign.yaml plans with its
 * `runtime.faultRetry`), the real Anthropic SDK reading ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL, and a
 * Messages-API server that fails on purpose (support/campaign-fixture.ts's model behind the fault wrappers):
 * - 429 / 529 / 500 past the SDK's retries, then recovery: the activity retries, the campaign completes with
 *   the scores the model deserves, and no stored trial carries a fault;
 * - connection refused (the server is down, then up again): the same;
 * - an outage longer than faultRetry.maxAttempts: the generation waits, visibly, for retry-generation;
 * - a rejected key (401): the campaign pauses with the reason in status, nothing is recorded or charged;
 *   with the key fixed, `resume` reruns the generation and the campaign completes.
 * Fails (never skips) without Docker or TEMPORAL_CLI_PATH.
 */
import { appendFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { productionParts } from '../../src/app/production';
import { metaTask } from '../../src/meta/assets';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { openStore } from '../../src/store/store';
import { isSystemicErrorText } from '../../src/store/faulted';
import { loadBenchmark } from '../../src/tasks/load';
import {
  campaignStatus,
  resumeCampaign,
  retryCampaignGeneration,
  startOrAttachCampaign,
} from '../../src/temporal/client';
import type { CampaignStatus } from '../../src/workflows/types';
import {
  MAGIC,
  campaignModel,
  isMeta,
  systemOf,
  writeCampaign,
  type CampaignFiles,
} from '../e2e/support/campaign-fixture';
import { requireDocker } from '../e2e/support/inspect';
import {
  apiKeyOf,
  FAULTS,
  failFirst,
  faultSwitch,
  startFakeAnthropic,
  type FakeAnthropic,
  type RecordedRequest,
  type ScriptFn,
} from '../support/fake-anthropic';
import { startServer, startWorkers, waitFor } from './support/env';

jest.setTimeout(600_000);

const TRAIN = ['write-alpha', 'write-beta'];
const HOLDOUT = ['write-gamma'];
const GOOD_KEY = 'sk-good-faults-test';

let env: TestWorkflowEnvironment;
let stopWorkers: () => Promise<void>;
const fakes: FakeAnthropic[] = [];
const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };

beforeAll(async () => {
  await requireDocker();
  // Images are built here, never inside a timed test.
  const provider = new DockerSandboxProvider();
  const prep = await mkdtemp(path.join(os.tmpdir(), 'aa-faults-prep-'));
  const files = await writeCampaign(prep, { name: 'prep', train: TRAIN, holdout: HOLDOUT, generations: 1, k: 1 });
  for (const t of await loadBenchmark(files.benchmark)) await provider.ensureImage(t);
  await provider.ensureImage(metaTask());
  env = await startServer({ searchAttributes: false });
  stopWorkers = (await startWorkers(env, productionParts().deps)).stop;
}, 600_000);

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  process.env.ANTHROPIC_API_KEY = saved.key;
  process.env.ANTHROPIC_BASE_URL = saved.url;
});

/** The fixture's model, refusing any key but GOOD_KEY with a real 401 body. */
const keyChecked =
  (model: ScriptFn): ScriptFn =>
  (req, i) =>
    apiKeyOf(req.headers) === GOOD_KEY ? model(req, i) : FAULTS.unauthorized;

async function serve(script: ScriptFn, key = GOOD_KEY): Promise<FakeAnthropic> {
  const f = await startFakeAnthropic(keyChecked(script));
  fakes.push(f);
  process.env.ANTHROPIC_API_KEY = key;
  process.env.ANTHROPIC_BASE_URL = f.url;
  return f;
}

/** A campaign on disk whose campaign.yaml retries systemic faults quickly (runtime.faultRetry). */
async function campaign(name: string, maxAttempts: number): Promise<CampaignFiles> {
  const root = await mkdtemp(path.join(os.tmpdir(), `aa-faults-${name}-`));
  const files = await writeCampaign(root, { name, train: TRAIN, holdout: HOLDOUT, generations: 1, k: 1 });
  await appendFile(
    files.yaml,
    [
      'runtime:',
      '  faultRetry:',
      `    maxAttempts: ${maxAttempts}`,
      '    initialIntervalSeconds: 0.5',
      '    maximumIntervalSeconds: 1',
      '',
    ].join('\n'),
  );
  return files;
}

const start = (files: CampaignFiles, name: string) =>
  startOrAttachCampaign(env.client, { name, input: { configPath: files.yaml } });

/** What the store holds: every trial, and whether any of them is a fault scored as a result. */
async function stored(files: CampaignFiles, name: string) {
  const store = await openStore(files.campaignDir);
  try {
    const trials = await store.listTrials(name);
    return {
      trials,
      faulted: trials.filter((t) => isSystemicErrorText(t.error)),
      proposals: await store.listProposals(name),
    };
  } finally {
    await store.close();
  }
}

/** The fixture's model earns: seed 0 on train, the MAGIC child (gen 1, proposal 0) 1 on train and holdout. */
function expectDeservedScores(
  summary: Awaited<ReturnType<Awaited<ReturnType<typeof start>>['handle']['result']>>,
): void {
  expect(summary.seed?.trainScore).toBe(0);
  expect(summary.best?.trainScore).toBe(1);
  expect(summary.best?.holdoutScore).toBe(1);
  expect(summary.generations).toBe(1);
}

const taskOfChild = (req: RecordedRequest): boolean => !isMeta(req) && systemOf(req).includes(MAGIC);

test('429 / 529 / 500 past the SDK retries: retried, then the campaign completes with no outage-scored trial', async () => {
  const name = 'outage';
  // Every first call of the child's trials fails 3 x 5 times (the SDK's 4 retries each): three activity attempts fail.
  const kinds = [FAULTS.rateLimited, FAULTS.overloaded, FAULTS.serverError];
  let n = 0;
  const inj = failFirst(15, FAULTS.serverError, campaignModel(), taskOfChild);
  const mixed: ScriptFn = (req, i) => {
    const r = inj.script(req, i);
    return r === FAULTS.serverError ? (kinds[Math.floor(n++ / 5) % kinds.length] ?? FAULTS.serverError) : r;
  };
  // The meta-agent's first call fails past the SDK's retries too: its proposal activity is retried.
  const meta = failFirst(5, FAULTS.serverError, mixed, isMeta);
  const f = await serve(meta.script);
  const files = await campaign(name, 6);
  const { handle } = await start(files, name);
  const summary = await handle.result();

  expect(inj.faulted).toBe(15);
  expect(meta.faulted).toBe(5);
  expectDeservedScores(summary);
  expect(summary.candidates.invalid).toBe(0); // the outage never turned into an invalid proposal
  expect((await stored(files, name)).proposals).toHaveLength(1);
  const s = await stored(files, name);
  expect(s.faulted).toEqual([]);
  // baseline 2 + the child's 2 + holdout of best and seed 2; each stored, and charged, exactly once.
  expect(s.trials).toHaveLength(6);
  expect(summary.ledger.trials).toBe(6);
  expect(s.trials.every((t) => t.error === null || !/^Llm/.test(t.error))).toBe(true);
  expect(f.requests.filter((r) => r.headers['x-stainless-retry-count'] !== '0').length).toBeGreaterThan(0); // the SDK retried too
});

test('connection refused (server down, then up): the trials wait it out and the campaign completes', async () => {
  const name = 'refused';
  const f = await serve(campaignModel());
  await f.down();
  const files = await campaign(name, 8);
  const { handle } = await start(files, name);
  // The baseline's trials are in their activity retries while nothing listens.
  await waitFor(async () => (await campaignStatus(handle)).phase === 'baseline', 60_000, 'the baseline');
  await new Promise((r) => setTimeout(r, 4_000));
  expect((await stored(files, name)).trials).toHaveLength(0);
  await f.up();
  const summary = await handle.result();
  expectDeservedScores(summary);
  const s = await stored(files, name);
  expect(s.faulted).toEqual([]);
  expect(s.trials).toHaveLength(6);
  expect(summary.ledger.trials).toBe(6);
});

test('an outage longer than faultRetry: the generation waits for retry-generation, then reuses what it stored', async () => {
  const name = 'long-outage';
  const sw = faultSwitch(campaignModel(), taskOfChild);
  sw.fail(FAULTS.overloaded);
  await serve(sw.script);
  const files = await campaign(name, 2);
  const { handle } = await start(files, name);
  const waiting = await waitFor(
    async () => {
      const st = await campaignStatus(handle);
      return st.waitingForRetry ? st : null;
    },
    240_000,
    'the generation to wait for a retry',
  );
  expect(waiting.waitingForRetry).toMatchObject({
    generation: 1,
    fault: 'outage',
    error: expect.stringMatching(/model API unavailable .*LlmOverloadedError/),
  });
  expect(waiting.paused).toBe(false); // an outage does not pause: it waits, visibly
  const before = await stored(files, name);
  expect(before.faulted).toEqual([]);
  expect(before.trials.map((t) => t.candidateId)).toEqual([waiting.bestCandidateId, waiting.bestCandidateId]); // the baseline only
  expect(waiting.spend.trials).toBe(2);

  sw.recover();
  await retryCampaignGeneration(handle);
  const summary = await handle.result();
  expectDeservedScores(summary);
  const s = await stored(files, name);
  expect(s.faulted).toEqual([]);
  expect(s.trials).toHaveLength(6);
  expect(summary.ledger.trials).toBe(6);
});

test('a rejected key (401) pauses the campaign with the reason; nothing is recorded; fixed and resumed, it completes', async () => {
  const name = 'bad-key';
  const f = await serve(campaignModel(), 'sk-wrong-key');
  const files = await campaign(name, 6);
  const { handle } = await start(files, name);
  const paused: CampaignStatus = await waitFor(
    async () => {
      const st = await campaignStatus(handle);
      return st.paused && st.waitingForRetry ? st : null;
    },
    120_000,
    'the campaign to pause',
  );
  expect(paused.pauseReason).toMatch(
    /^ANTHROPIC_API_KEY was rejected \(401\) for model "claude-sonnet-4-6".*autoagent resume/,
  );
  expect(paused.pauseReason).not.toContain('sk-wrong-key');
  expect(paused.waitingForRetry).toMatchObject({ generation: 0, fault: 'credential' });
  expect(paused.spend).toMatchObject({ trials: 0, proposals: 0, costUsd: 0 });
  // A credential fault is not retried: one request per baseline trial, and nothing stored.
  const refused = f.requests.length;
  expect(refused).toBe(TRAIN.length);
  await new Promise((r) => setTimeout(r, 2_000));
  expect(f.requests).toHaveLength(refused);
  expect((await stored(files, name)).trials).toHaveLength(0);

  process.env.ANTHROPIC_API_KEY = GOOD_KEY; // the in-process worker reads it on its next trial
  await resumeCampaign(handle);
  const summary = await handle.result();
  expectDeservedScores(summary);
  const s = await stored(files, name);
  expect(s.faulted).toEqual([]);
  expect(s.trials).toHaveLength(6);
  expect(summary.ledger.trials).toBe(6);
  expect((await campaignStatus(handle)).pauseReason).toBeNull();
});

test("the meta-agent's rejected key pauses the campaign: no invalid proposal, nothing recorded; resumed, it completes", async () => {
  const name = 'meta-key';
  const sw = faultSwitch(campaignModel(), isMeta);
  sw.fail(FAULTS.unauthorized);
  await serve(sw.script);
  const files = await campaign(name, 6);
  const { handle } = await start(files, name);
  const paused: CampaignStatus = await waitFor(
    async () => {
      const st = await campaignStatus(handle);
      return st.paused && st.waitingForRetry ? st : null;
    },
    120_000,
    'the campaign to pause',
  );
  expect(paused.waitingForRetry).toMatchObject({ generation: 1, fault: 'credential' });
  expect(paused.pauseReason).toMatch(/^ANTHROPIC_API_KEY was rejected \(401\)/);
  expect(paused.candidates).toEqual({ evaluated: 1, rejected: 0, invalid: 0 });
  expect(paused.spend.proposals).toBe(0);
  expect((await stored(files, name)).proposals).toHaveLength(0);
  expect(sw.faulted).toBe(1); // not retried

  sw.recover();
  await resumeCampaign(handle);
  const summary = await handle.result();
  expectDeservedScores(summary);
  expect(summary.candidates.invalid).toBe(0);
  expect((await stored(files, name)).proposals).toHaveLength(1);
  expect((await stored(files, name)).faulted).toEqual([]);
});

test('a key revoked mid-baseline: the trial that ran is kept; after resume it is reused, not rerun or re-charged', async () => {
  const name = 'revoked';
  const model = campaignModel();
  let answeredWithOldKey = 0;
  // The first key works for exactly one call (the first baseline trial: the seed answers "done" at once).
  const f = await startFakeAnthropic((req) => {
    const key = apiKeyOf(req.headers);
    if (key === GOOD_KEY || (key === 'sk-soon-revoked' && answeredWithOldKey++ === 0)) return model(req);
    return FAULTS.unauthorized;
  });
  fakes.push(f);
  process.env.ANTHROPIC_API_KEY = 'sk-soon-revoked';
  process.env.ANTHROPIC_BASE_URL = f.url;
  const root = await mkdtemp(path.join(os.tmpdir(), `aa-faults-${name}-`));
  const files = await writeCampaign(root, {
    name,
    train: TRAIN,
    holdout: HOLDOUT,
    generations: 1,
    k: 1,
    concurrency: 1,
  });
  const { handle } = await start(files, name);
  const paused = await waitFor(
    async () => {
      const st = await campaignStatus(handle);
      return st.paused && st.waitingForRetry ? st : null;
    },
    120_000,
    'the campaign to pause',
  );
  expect(paused.waitingForRetry).toMatchObject({ generation: 0, fault: 'credential' });
  expect(paused.spend.trials).toBe(1); // the trial that ran is charged once; the refused one is not
  const kept = (await stored(files, name)).trials;
  expect(kept).toHaveLength(1);
  expect(kept[0]?.error).toBeNull();

  process.env.ANTHROPIC_API_KEY = GOOD_KEY;
  await resumeCampaign(handle);
  const summary = await handle.result();
  expectDeservedScores(summary);
  const s = await stored(files, name);
  expect(s.faulted).toEqual([]);
  expect(s.trials).toHaveLength(6);
  expect(s.trials.find((t) => t.trialId === kept[0]?.trialId)?.createdAt).toBe(kept[0]?.createdAt); // the same row, not a rerun
  expect(summary.ledger.trials).toBe(6);
  expect((await campaignStatus(handle)).trialsCached).toBeGreaterThanOrEqual(1);
});
