import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ArtifactNotFoundError, StoreError } from '../../src/store/errors';
import { RECORD_SCHEMA_VERSION as SCHEMA_VERSION } from '../../src/store/records/migrations';
import { openStore } from '../../src/store/store';
import type { TrialResult } from '../../src/trial/types';

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-store-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function trial(over: Partial<TrialResult> = {}): TrialResult {
  return {
    trialId: 't-1',
    task: 'hello',
    agent: 'harness',
    harnessId: 'h-abc',
    model: 'claude-x',
    repeat: 0,
    reward: 1,
    error: null,
    stopReason: 'finished',
    turns: 3,
    usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
    verifier: { reward: 1, reason: null, exitCode: 0, output: 'ok' },
    timings: { buildMs: 1, startMs: 1, agentMs: 1, verifyMs: 1, totalMs: 4 },
    trajectoryPath: null,
    startedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('artifacts', () => {
  it('are content-addressed, write-once and round-trip', async () => {
    const s = await openStore(tmp());
    const h = await s.putArtifact('hello');
    expect(h).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(fs.existsSync(path.join(s.dir, 'artifacts', '2c', h))).toBe(true);
    expect(await s.putArtifact(Buffer.from('hello'))).toBe(h);
    expect(await s.getArtifactText(h)).toBe('hello');
    expect(fs.readdirSync(path.join(s.dir, 'artifacts', '2c'))).toEqual([h]); // no temp files left
    await expect(s.getArtifact('0'.repeat(64))).rejects.toThrow(ArtifactNotFoundError);
    await expect(s.getArtifact('../etc/passwd')).rejects.toThrow(ArtifactNotFoundError);
    await s.close();
  });

  it('stores harnesses independent of file order', async () => {
    const s = await openStore(tmp());
    const a = await s.putHarness({ 'system.md': 'hi', 'harness.yaml': 'model: m' });
    const b = await s.putHarness({ 'harness.yaml': 'model: m', 'system.md': 'hi' });
    expect(a).toBe(b);
    expect(await s.getHarness(a)).toEqual({ 'harness.yaml': 'model: m', 'system.md': 'hi' });
    await expect(s.getHarness(await s.putArtifact('[1]'))).rejects.toThrow(StoreError);
    await s.close();
  });
});

describe('trials', () => {
  it('are recorded exactly once and found by cache key', async () => {
    const s = await openStore(tmp());
    const opts = {
      campaign: 'c1',
      candidateId: 'h-abc',
      taskHash: 'th1',
      trajectoryJson: { steps: [] },
      verifierLog: 'log',
    };
    expect(await s.recordTrial(trial(), opts)).toEqual({ inserted: true, trialId: 't-1' });
    expect(await s.recordTrial(trial({ reward: 0 }), opts)).toEqual({ inserted: false, trialId: 't-1' });
    const got = await s.getTrial('t-1');
    expect(got).toMatchObject({ reward: 1, taskHash: 'th1', candidateId: 'h-abc', usage: { costUsd: 0.01 } });
    expect(got?.result).toEqual(trial());
    expect(JSON.parse(await s.getArtifactText(got!.trajectoryHash!))).toEqual({ steps: [] });
    expect(await s.getArtifactText(got!.verifierLogHash!)).toBe('log');

    expect(
      (await s.findCachedTrial({ harnessId: 'h-abc', task: 'hello', taskHash: 'th1', model: 'claude-x', repeat: 0 }))
        ?.trialId,
    ).toBe('t-1');
    expect(
      await s.findCachedTrial({ harnessId: 'h-abc', task: 'hello', taskHash: 'th1', model: 'claude-x', repeat: 1 }),
    ).toBeNull();
    expect(
      await s.findCachedTrial({ harnessId: 'h-abc', task: 'hello', taskHash: 'th2', model: 'claude-x', repeat: 0 }),
    ).toBeNull();
    // Same bytes, another task (a holdout copy of a train task): another experiment, never served this trial.
    expect(
      await s.findCachedTrial({
        harnessId: 'h-abc',
        task: 'hello-copy',
        taskHash: 'th1',
        model: 'claude-x',
        repeat: 0,
      }),
    ).toBeNull();
    await s.recordTrial(trial({ trialId: 'oracle-1', agent: 'oracle', harnessId: null, model: null }), {
      ...opts,
      candidateId: null,
    });
    expect(
      (await s.findCachedTrial({ harnessId: null, task: 'hello', taskHash: 'th1', model: null, repeat: 0 }))?.trialId,
    ).toBe('oracle-1');
    expect(await s.getTrial('nope')).toBeNull();
    await s.close();
  });

  it('lists by campaign, candidate and task', async () => {
    const s = await openStore(tmp());
    await s.recordTrial(trial({ trialId: 'a', task: 'x' }), { campaign: 'c1', candidateId: 'h1', taskHash: '1' });
    await s.recordTrial(trial({ trialId: 'b', task: 'y' }), { campaign: 'c1', candidateId: 'h2', taskHash: '2' });
    await s.recordTrial(trial({ trialId: 'c', task: 'y' }), { campaign: 'c2', candidateId: 'h2', taskHash: '2' });
    expect((await s.listTrials('c1')).map((t) => t.trialId).sort()).toEqual(['a', 'b']);
    expect((await s.listTrials('c1', { candidateId: 'h2' })).map((t) => t.trialId)).toEqual(['b']);
    expect((await s.listTrials('c1', { task: 'x' })).map((t) => t.trialId)).toEqual(['a']);
    await s.close();
  });

  it('two handles inserting the same trials count each once', async () => {
    const dir = tmp();
    const s1 = await openStore(dir);
    const s2 = await openStore(dir);
    const results = [] as boolean[];
    for (let i = 0; i < 20; i++) {
      results.push(
        (await s1.recordTrial(trial({ trialId: `t${i}` }), { campaign: 'c', candidateId: 'h', taskHash: 'x' }))
          .inserted,
      );
      results.push(
        (await s2.recordTrial(trial({ trialId: `t${i}` }), { campaign: 'c', candidateId: 'h', taskHash: 'x' }))
          .inserted,
      );
    }
    expect(results.filter(Boolean)).toHaveLength(20);
    expect(await s1.listTrials('c')).toHaveLength(20);
    await s1.close();
    await s2.close();
  });

  it('two processes racing on a fresh store insert each trial exactly once', async () => {
    const dir = tmp();
    const counts = await Promise.all([runChild(dir, false), runChild(dir, true)]);
    expect(counts[0]! + counts[1]!).toBe(40);
    const s = await openStore(dir);
    expect(await s.listTrials('race')).toHaveLength(40);
    await s.close();
  });
});

/** Runs the real store module (TypeScript, transpiled on the fly) in a child node process. */
function runChild(dir: string, reverse: boolean): Promise<number> {
  const script = `
    const ts = require('typescript'), fs = require('fs');
    require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'),
      { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, f);
    const { openStore } = require(${JSON.stringify(path.resolve(__dirname, '../../src/store/store.ts'))});
    (async () => {
      const s = await openStore(process.env.DIR);
      const base = JSON.parse(process.env.TRIAL);
      const ids = Array.from({ length: 40 }, (_, i) => 'r' + i);
      if (process.env.REVERSE === '1') ids.reverse();
      let n = 0;
      for (const id of ids) n += (await s.recordTrial({ ...base, trialId: id }, { campaign: 'race', candidateId: 'h', taskHash: 'x' })).inserted ? 1 : 0;
      await s.close();
      process.stdout.write(String(n));
    })().catch((err) => { console.error(err); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, DIR: dir, TRIAL: JSON.stringify(trial()), REVERSE: reverse ? '1' : '0' },
      cwd: path.resolve(__dirname, '../..'),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`child failed (${code}): ${err}`)),
    );
  });
}

describe('candidates, proposals, events, migrations', () => {
  const rec = {
    id: 'h-1',
    parentId: null,
    generation: 0,
    status: 'evaluated' as const,
    verdict: 'seed',
    rationale: 'baseline',
    taskRewards: { a: [1, 0] },
    meanReward: 0.5,
    costUsd: 0.2,
    complexity: 123,
  };

  it('upserts candidates keeping artifacts', async () => {
    const s = await openStore(tmp());
    const first = await s.recordCandidate(
      { ...rec, status: 'rejected', verdict: 'pending' },
      { campaign: 'c', harnessFiles: { 'system.md': 'x' }, diff: '+x' },
    );
    expect(first.harnessHash).not.toBeNull();
    const second = await s.recordCandidate(rec, { campaign: 'c' });
    expect(second).toMatchObject({ ...rec, harnessHash: first.harnessHash, diffHash: first.diffHash });
    expect(await s.getHarness(second.harnessHash!)).toEqual({ 'system.md': 'x' });
    await s.recordCandidate({ ...rec, id: 'h-2', parentId: 'h-1', generation: 1 }, { campaign: 'c' });
    expect((await s.listCandidates('c')).map((c) => c.id)).toEqual(['h-1', 'h-2']);
    expect(await s.listCandidates('other')).toEqual([]);
    await s.close();
  });

  it('records proposals once and appends events in order', async () => {
    const s = await openStore(tmp());
    const p = {
      proposalId: 'p1',
      campaign: 'c',
      generation: 1,
      parentId: 'h-1',
      candidateId: null,
      status: 'invalid' as const,
      error: 'harness.yaml: model: required',
      rationale: 'try',
      usage: trial().usage,
    };
    expect((await s.recordProposal(p, { trajectoryJson: '{}' })).inserted).toBe(true);
    expect((await s.recordProposal(p)).inserted).toBe(false);
    expect(await s.listProposals('c')).toEqual([expect.objectContaining({ ...p, trajectoryHash: expect.any(String) })]);
    const e1 = await s.appendEvent('c', 'generation.started', { n: 1 });
    const e2 = await s.appendEvent('c', 'generation.done', { n: 1 });
    expect(e2).toBeGreaterThan(e1);
    expect((await s.listEvents('c')).map((e) => [e.kind, e.data])).toEqual([
      ['generation.started', { n: 1 }],
      ['generation.done', { n: 1 }],
    ]);
    expect((await s.listEvents('c', { afterId: e1 })).map((e) => e.id)).toEqual([e2]);
    expect(await s.listEvents('c', { kind: 'generation.started' })).toHaveLength(1);
    await s.close();
  });

  it('uses WAL, sets user_version and refuses a newer schema', async () => {
    const dir = tmp();
    await (await openStore(dir)).close();
    const db = new Database(path.join(dir, 'store.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openStore(dir)).rejects.toThrow(/newer than this autoagent/);
  });

  it('fails loudly on a corrupted row', async () => {
    const dir = tmp();
    const s = await openStore(dir);
    await s.recordTrial(trial(), { campaign: 'c', candidateId: null, taskHash: 'x' });
    await s.close();
    const db = new Database(path.join(dir, 'store.sqlite'));
    db.prepare('UPDATE trials SET usage_json = \'{"costUsd":"free"}\'').run();
    db.close();
    const s2 = await openStore(dir);
    await expect(s2.getTrial('t-1')).rejects.toThrow(/store.sqlite: corrupt trial usage/);
    await s2.close();
  });
});
