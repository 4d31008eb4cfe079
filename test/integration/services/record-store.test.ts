/**
 * One record store, two back ends: the same contract against SQLite (a file) and a real PostgreSQL server
 * (the throwaway cluster scripts/setup-services.sh starts; AUTOAGENT_TEST_PG_URL). Each run gets a database
 * of its own. Fails loudly when the server is not there.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { RecordStore } from '../../../src/store/records/record-store';
import { parseStoreUrl, redactUrl, storeLocationFromEnv, type StoreLocation } from '../../../src/store/records/url';
import { openStore } from '../../../src/store/store';
import type { CandidateRecord } from '../../../src/search/types';
import type { TrialResult } from '../../../src/trial/types';

const PG_URL = process.env.AUTOAGENT_TEST_PG_URL;
const dbName = `aa_test_${randomBytes(4).toString('hex')}`;
let pgUrl = '';

beforeAll(async () => {
  if (!PG_URL)
    throw new Error(
      'AUTOAGENT_TEST_PG_URL is not set: run the tests through `npm test` (scripts/test.sh sources .tools/services.env)',
    );
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${dbName}`;
  pgUrl = u.toString();
});

afterAll(async () => {
  if (!PG_URL) return;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 };
function trial(id: string, over: Partial<TrialResult> = {}): TrialResult {
  return {
    trialId: id,
    task: 'alpha',
    agent: 'harness',
    harnessId: 'h1',
    model: 'm',
    repeat: 0,
    reward: 1,
    error: null,
    stopReason: 'finished',
    turns: 1,
    usage,
    verifier: { reward: 1, reason: null, exitCode: 0, output: 'ok' },
    timings: { buildMs: 0, startMs: 1, agentMs: 2, verifyMs: 3, totalMs: 6 },
    trajectoryPath: null,
    startedAt: '2026-12-02T00:00:00.000Z',
    ...over,
  };
}
const candidate = (id: string, over: Partial<CandidateRecord> = {}): CandidateRecord => ({
  id,
  parentId: null,
  generation: 0,
  status: 'evaluated',
  verdict: 'seed',
  rationale: 'r',
  taskRewards: { alpha: [1] },
  meanReward: 1,
  costUsd: 0.5,
  complexity: 3,
  ...over,
});

const backends: [string, () => StoreLocation][] = [
  [
    'sqlite',
    () => ({ kind: 'sqlite', file: path.join(mkdtempSync(path.join(os.tmpdir(), 'aa-rec-')), 'store.sqlite') }),
  ],
  ['postgres', () => parseStoreUrl(pgUrl)],
];

describe.each(backends)('%s', (_name, location) => {
  let loc: StoreLocation;
  let store: RecordStore;
  beforeAll(async () => {
    loc = location();
    store = await RecordStore.open(loc);
  });
  afterAll(() => store?.close());

  test('a trial is recorded exactly once, also by a second worker racing the first', async () => {
    const other = await RecordStore.open(loc); // a second worker on the same records
    try {
      const first = () => store.recordTrial(trial('t-race'), { campaign: 'c', candidateId: 'h1', taskHash: 'th' });
      const second = () =>
        other.recordTrial(trial('t-race', { reward: 0 }), { campaign: 'c', candidateId: 'h1', taskHash: 'th' });
      // PostgreSQL: truly concurrent connections. SQLite: better-sqlite3 is synchronous, so two handles in one
      // process cannot wait for each other (workers are separate processes); they take turns here.
      const results =
        loc.kind === 'postgres' ? await Promise.all([first(), second()]) : [await first(), await second()];
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect((await other.listTrials('c')).filter((t) => t.trialId === 't-race').map((t) => t.reward)).toEqual([
        results[0]?.inserted ? 1 : 0,
      ]);
    } finally {
      await other.close();
    }
  });

  test('the cache key: name, content hash, harness, model, repeat; never a faulted row, which a real result replaces', async () => {
    await store.recordTrial(trial('t-a', { task: 'beta' }), {
      campaign: 'c',
      candidateId: 'h1',
      taskHash: 'hb',
      trajectoryHash: 'a'.repeat(64),
    });
    const key = { harnessId: 'h1', task: 'beta', taskHash: 'hb', model: 'm', repeat: 0 };
    expect((await store.findCachedTrial(key))?.trajectoryHash).toBe('a'.repeat(64));
    expect(await store.findCachedTrial({ ...key, task: 'beta-copy' })).toBeNull();
    expect(await store.findCachedTrial({ ...key, model: null })).toBeNull();
    await store.recordTrial(trial('t-f', { task: 'gamma', reward: 0, error: 'LlmUnavailableError: down' }), {
      campaign: 'c',
      candidateId: 'h1',
      taskHash: 'hg',
    });
    const gKey = { ...key, task: 'gamma', taskHash: 'hg' };
    expect(await store.findCachedTrial(gKey)).toBeNull();
    const again = await store.recordTrial(trial('t-f', { task: 'gamma' }), {
      campaign: 'c',
      candidateId: 'h1',
      taskHash: 'hg',
    });
    expect(again.inserted).toBe(true);
    expect((await store.findCachedTrial(gKey))?.reward).toBe(1);
  });

  test('candidates upsert keeping artifact hashes; proposals once; events in order; campaigns and stamps', async () => {
    await store.recordCandidate(candidate('h1'), { campaign: 'c', harnessHash: 'b'.repeat(64), diffHash: null });
    const updated = await store.recordCandidate(candidate('h1', { meanReward: 0.5, verdict: 'kept' }), {
      campaign: 'c',
    });
    expect(updated).toMatchObject({
      id: 'h1',
      meanReward: 0.5,
      verdict: 'kept',
      harnessHash: 'b'.repeat(64),
      costUsd: 0.5,
    });
    await store.recordCandidate(candidate('h2', { parentId: 'h1', secondParentId: 'h0', generation: 1 }), {
      campaign: 'c',
    });
    expect((await store.listCandidates('c')).map((c) => [c.id, c.secondParentId])).toEqual([
      ['h1', null],
      ['h2', 'h0'],
    ]);
    const p = {
      proposalId: 'p1',
      campaign: 'c',
      generation: 1,
      parentId: 'h1',
      candidateId: 'h2',
      status: 'ok' as const,
      error: null,
      rationale: 'x',
      usage,
    };
    expect(await store.recordProposal(p)).toEqual({ inserted: true });
    expect(await store.recordProposal(p)).toEqual({ inserted: false });
    const before = await store.campaignStamp('c');
    const e1 = await store.appendEvent('c', 'started', { a: 1 });
    const e2 = await store.appendEvent('c', 'generation', { n: 1 });
    expect(e2).toBeGreaterThan(e1);
    expect((await store.listEvents('c', { afterId: e1 })).map((e) => [e.kind, e.data])).toEqual([
      ['generation', { n: 1 }],
    ]);
    expect(await store.campaignStamp('c')).not.toBe(before);
    expect(await store.listCampaigns()).toEqual(['c']);
  });
});

test('a store.sqlite written by the embedded store opens unchanged, its records readable', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-rec-legacy-'));
  const legacy = await openStore(dir);
  await legacy.recordTrial(trial('t-old'), {
    campaign: 'old',
    candidateId: 'h1',
    taskHash: 'th',
    trajectoryJson: { steps: [] },
  });
  await legacy.recordCandidate(candidate('h1'), { campaign: 'old', harnessFiles: { 'harness.yaml': 'model: m\n' } });
  await legacy.close();
  const store = await RecordStore.open({ kind: 'sqlite', file: path.join(dir, 'store.sqlite') });
  try {
    expect((await store.getTrial('t-old'))?.trajectoryHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.getCandidate('h1'))?.harnessHash).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    await store.close();
  }
});

test('AUTOAGENT_STORE: sqlite: and postgres:// parse; the password never reaches a message', () => {
  expect(storeLocationFromEnv('/c/store.sqlite', {})).toEqual({ kind: 'sqlite', file: '/c/store.sqlite' });
  expect(parseStoreUrl('sqlite:/x/s.db')).toEqual({ kind: 'sqlite', file: '/x/s.db' });
  expect(parseStoreUrl('postgres://u:p@h:5432/d').kind).toBe('postgres');
  expect(() => parseStoreUrl('mysql://u:secret@h/d')).toThrow(/AUTOAGENT_STORE=.*unknown scheme/);
  expect(() => parseStoreUrl('mysql://u:secret@h/d')).not.toThrow(/secret/);
  expect(redactUrl('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
});

test('an unreachable server is a StoreError naming it without the password', async () => {
  await expect(RecordStore.open(parseStoreUrl('postgres://u:hunter2@127.0.0.1:1/none'))).rejects.toThrow(
    /^postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/none: cannot open the record store: .*ECONNREFUSED/,
  );
});
