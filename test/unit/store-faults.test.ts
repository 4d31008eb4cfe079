/**
 * The store never treats a systemic fault as a result: stores written before faults were thrown (trials
 * with `LlmAuthError: …` and friends as reward-0 errors) are migrated — the rows move to faulted_trials, kept
 * but out of every listing — the cache skips such a row even if one appears later, and a real result can take
 * over its trial id. Task-level failures (agent timeout, refused request) stay results and stay cached.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isSystemicErrorText } from '../../src/store/faulted';
import { RECORD_SCHEMA_VERSION as SCHEMA_VERSION } from '../../src/store/records/migrations';
import { openStore } from '../../src/store/store';
import type { TrialResult } from '../../src/trial/types';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-store-faults-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function trial(id: string, error: string | null, over: Partial<TrialResult> = {}): TrialResult {
  return {
    trialId: id,
    task: 'hello',
    agent: 'harness',
    harnessId: 'h-abc',
    model: 'claude-x',
    repeat: 0,
    reward: error ? 0 : 1,
    error,
    stopReason: error ? 'error' : 'finished',
    turns: error ? 0 : 3,
    usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
    verifier: { reward: 0, reason: null, exitCode: 0, output: '' },
    timings: { buildMs: 1, startMs: 1, agentMs: 1, verifyMs: 1, totalMs: 4 },
    trajectoryPath: null,
    startedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

const opts = { campaign: 'c1', candidateId: 'h-abc', taskHash: 'th1' };
const key = { harnessId: 'h-abc', task: 'hello', taskHash: 'th1', model: 'claude-x', repeat: 0 };

const OLD_FAULTS = [
  'LlmAuthError: ANTHROPIC_API_KEY is not set (needed to call the Messages API)',
  'LlmRateLimitError: Anthropic API 429 rate_limit_error: Number of request tokens has exceeded your per-minute rate limit',
  'LlmOverloadedError: Anthropic API 529 overloaded_error: Overloaded',
  'LlmServerError: connection failed: Connection error.',
  'DockerUnavailableError: cannot reach the Docker daemon',
];

test('recognises systemic error texts and nothing else', () => {
  for (const e of OLD_FAULTS) expect(isSystemicErrorText(e)).toBe(true);
  for (const e of [
    null,
    '',
    'AgentTimeoutError: agent did not finish within 60s',
    'LlmBadRequestError: Anthropic API 400: prompt is too long',
    'RewardFileMissingError: no reward',
    'solve.sh exited 1',
    'model call failed: LlmAuthError: x',
  ]) {
    expect(isSystemicErrorText(e)).toBe(false);
  }
});

test('an old store: faulted trials move to faulted_trials on open; results and task-level failures stay', async () => {
  const dir = tmp();
  const s = await openStore(dir);
  for (const [i, e] of OLD_FAULTS.entries()) await s.recordTrial(trial(`f-${i}`, e, { repeat: i === 0 ? 0 : i }), opts);
  await s.recordTrial(trial('ok', null, { task: 'other' }), opts);
  await s.recordTrial(trial('timeout', 'AgentTimeoutError: agent did not finish within 60s', { task: 'slow' }), opts);
  await s.close();
  // Make it look as written before migration 2: schema version 1, no faulted_trials table (nor what migrations 3
  // and 4 add: columns, the bundles table).
  const db = new Database(path.join(dir, 'store.sqlite'));
  db.exec('DROP TABLE faulted_trials');
  db.exec('DROP TABLE bundles');
  db.exec('ALTER TABLE trials DROP COLUMN files_hash');
  db.exec('ALTER TABLE candidates DROP COLUMN second_parent_id');
  db.pragma('user_version = 1');
  db.close();

  const again = await openStore(dir);
  expect((await again.listTrials('c1')).map((t) => t.trialId).sort()).toEqual(['ok', 'timeout']);
  expect(await again.findCachedTrial(key)).toBeNull(); // f-0 (repeat 0 of this key) is gone from the cache
  expect((await again.findCachedTrial({ ...key, task: 'slow' }))?.trialId).toBe('timeout'); // a task-level failure is a result
  await again.close();
  const raw = new Database(path.join(dir, 'store.sqlite'), { readonly: true });
  expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  const kept = raw.prepare('SELECT trial_id, error FROM faulted_trials ORDER BY trial_id').all() as {
    trial_id: string;
    error: string;
  }[];
  expect(kept.map((r) => r.error)).toEqual(OLD_FAULTS); // kept for inspection, not lost
  raw.close();
});

test('the cache skips a faulted row written later, and the real result then takes its trial id', async () => {
  const s = await openStore(tmp());
  // An old worker still running writes a fault as a result after the migration.
  expect((await s.recordTrial(trial('t-1', OLD_FAULTS[0]!), opts)).inserted).toBe(true);
  expect(await s.findCachedTrial(key)).toBeNull();
  // The rerun's real result replaces it (INSERT OR IGNORE alone would keep the fault).
  expect(await s.recordTrial(trial('t-1', null), opts)).toEqual({ inserted: true, trialId: 't-1' });
  expect(await s.findCachedTrial(key)).toMatchObject({ trialId: 't-1', reward: 1, error: null });
  expect(await s.listTrials('c1')).toHaveLength(1);
  // A real result is still recorded exactly once.
  expect((await s.recordTrial(trial('t-1', null), opts)).inserted).toBe(false);
  await s.close();
});
