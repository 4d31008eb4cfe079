/**
 * `autoagent export` and the offline `status` of a finished campaign, through the built CLI, on a campaign
 * written through the store API (seed → an accepted child → a rejected one; 3 train tasks × 2 repeats,
 * 2 holdout tasks; one trajectory stored in our old ATIF v1.4 shape). The expected numbers below follow
 * from the rewards written here; they are not read back. Then the exported best harness runs unchanged in
 * `autoagent eval --harness` (real Docker, the fake Messages API), and the exported trials are a Harbor job
 * that Harbor's own models read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { diffFiles } from '../../src/harness/diff';
import { computeHarnessId } from '../../src/harness/files';
import { loadHarness } from '../../src/harness/load';
import { openStore } from '../../src/store/store';
import type { TrialResult } from '../../src/trial/types';
import { startFakeAnthropic, text, type FakeAnthropic } from '../support/fake-anthropic';
import { harborValidate } from '../support/harbor';
import { ensureBuilt, jsonLines, runCli } from './support/cli';

const CAMPAIGN = 'exp-demo';
const MODEL = 'claude-sonnet-4-6';
const harness = (system: string): Record<string, string> => ({
  'harness.yaml': `model: ${MODEL}\nmaxTurns: 3\n`,
  'system.md': system,
});
const SEED_FILES = harness('You are a terminal agent.\n\n{{instruction}}\n');
const GOOD_FILES = harness('You are a terminal agent.\nAlways run the tests before you finish.\n\n{{instruction}}\n');
const BAD_FILES = harness('You are a terminal agent.\nNever use bash.\n\n{{instruction}}\n');
const SEED = computeHarnessId(SEED_FILES);
const GOOD = computeHarnessId(GOOD_FILES);
const BAD = computeHarnessId(BAD_FILES);
const RATIONALE = 'Run the tests before finishing: t-b failed on an untested edit.';
const TRAIN: Record<string, Record<string, number[]>> = {
  [SEED]: { 't-a': [1, 1], 't-b': [0, 0], 't-c': [0, 1] },
  [GOOD]: { 't-a': [1, 1], 't-b': [1, 1], 't-c': [0, 1] },
  [BAD]: { 't-a': [0, 0], 't-b': [0, 0], 't-c': [0, 0] },
};
const HOLDOUT: Record<string, Record<string, number[]>> = {
  [SEED]: { 'h-x': [0], 'h-y': [0] },
  [GOOD]: { 'h-x': [1], 'h-y': [0] },
};
const LEGACY_V14 = readFileSync(path.join(__dirname, '..', 'fixtures', 'atif', 'v1.4-autoagent.json'), 'utf8');

let tmp = '';
let campaignDir = '';
let fake: FakeAnthropic | null = null;

function trial(candidate: string, task: string, reward: number, repeat: number): TrialResult {
  return {
    trialId: `tr-${candidate.slice(2, 8)}-${task}-${repeat}`,
    task,
    agent: 'harness',
    harnessId: candidate,
    model: MODEL,
    repeat,
    reward,
    error: null,
    failure: null,
    stopReason: 'finished',
    turns: 2,
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
    verifier: { reward, reason: null, exitCode: 0, output: `verifier of ${task}` },
    timings: { buildMs: 10, startMs: 10, agentMs: 5000, verifyMs: 100, totalMs: 5120 },
    trajectoryPath: null,
    startedAt: '2026-01-01T10:00:00.000Z',
  };
}

function trajectory(id: string): object {
  const rec = new TrajectoryRecorder({ sessionId: id, agentName: 'autoagent-harness', model: MODEL });
  rec.addStep({ source: 'user', message: 'Solve it.' });
  rec.addStep({
    source: 'agent',
    message: 'Done.',
    usage: { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 },
  });
  return rec.toJSON();
}

async function writeCampaign(dir: string): Promise<void> {
  const store = await openStore(dir);
  try {
    await store.appendEvent(CAMPAIGN, 'prepared', {
      seed: SEED,
      trainTasks: ['t-a', 't-b', 't-c'],
      holdoutTasks: ['h-x', 'h-y'],
    });
    const record = async (c: string, runs: Record<string, number[]>): Promise<void> => {
      for (const [task, rewards] of Object.entries(runs)) {
        for (const [repeat, r] of rewards.entries()) {
          const t = trial(c, task, r, repeat);
          const legacy = c === SEED && task === 't-a' && repeat === 0;
          await store.recordTrial(t, {
            campaign: CAMPAIGN,
            candidateId: c,
            taskHash: `hash-${task}`,
            trajectoryJson: legacy ? LEGACY_V14 : trajectory(t.trialId),
            verifierLog: `full verifier log of ${task}`,
          });
        }
      }
    };
    const cand = (
      id: string,
      parentId: string | null,
      generation: number,
      status: 'evaluated' | 'rejected',
      verdict: string,
      rationale: string,
      meanReward: number,
    ) => ({
      id,
      parentId,
      generation,
      status,
      verdict,
      rationale,
      taskRewards: TRAIN[id] ?? {},
      meanReward,
      costUsd: 0.07,
      complexity: 100,
    });
    await record(SEED, TRAIN[SEED]!);
    await store.recordCandidate(cand(SEED, null, 0, 'evaluated', 'seed', '', 0.5), {
      campaign: CAMPAIGN,
      harnessFiles: SEED_FILES,
    });
    await record(GOOD, TRAIN[GOOD]!);
    await store.recordCandidate(
      cand(GOOD, SEED, 1, 'evaluated', 'accepted: +0.333 over parent (p=0.04)', RATIONALE, 5 / 6),
      {
        campaign: CAMPAIGN,
        harnessFiles: GOOD_FILES,
        diff: diffFiles(SEED_FILES, GOOD_FILES),
      },
    );
    await record(BAD, TRAIN[BAD]!);
    await store.recordCandidate(cand(BAD, SEED, 1, 'rejected', 'rejected: -0.500 vs parent', 'Forbid bash.', 0), {
      campaign: CAMPAIGN,
      harnessFiles: BAD_FILES,
      diff: diffFiles(SEED_FILES, BAD_FILES),
    });
    for (const c of [GOOD, SEED]) await record(c, HOLDOUT[c]!);
    await store.appendEvent(CAMPAIGN, 'completed', { stopReason: 'max generations reached' });
  } finally {
    await store.close();
  }
}

const cli = (args: string[], timeoutMs = 60_000) =>
  runCli(args, { baseUrl: fake?.url ?? 'http://127.0.0.1:9', temporal: false }, timeoutMs);

beforeAll(async () => {
  await ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-export-'));
  campaignDir = path.join(tmp, '.autoagent', CAMPAIGN);
  await writeCampaign(campaignDir);
  fake = await startFakeAnthropic(() => ({ content: [text('I am done.')], stop_reason: 'end_turn' }));
}, 240_000);
afterAll(async () => {
  await fake?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('status of the finished campaign, from its folder: JSON and text carry the same numbers, holdout included', async () => {
  const json = await cli(['status', campaignDir, '--json']);
  expect(json.code).toBe(0);
  const s = JSON.parse(json.stdout) as Record<string, unknown>;
  expect(s).toMatchObject({
    running: false,
    phase: 'done',
    stopReason: 'max generations reached',
    bestCandidateId: GOOD,
    seedCandidateId: SEED,
    bestTrainScore: expect.closeTo(5 / 6, 9),
    bestHoldoutScore: 0.5,
    gap: expect.closeTo(1 / 3, 9),
    seedTrainScore: 0.5,
    seedHoldoutScore: 0,
    trials: 22,
    costUsd: expect.closeTo(0.22, 9),
    candidates: { evaluated: 2, rejected: 1, invalid: 0 },
    bestHarness: { candidateId: GOOD, storedIn: path.join(campaignDir, 'store.sqlite') },
  });
  const human = await cli(['status', campaignDir]);
  expect(human.code).toBe(0);
  expect(human.stdout).toContain(`best train   0.833  (${GOOD})`);
  expect(human.stdout).toContain('best holdout 0.500  (gap 0.333)');
  expect(human.stdout).toContain(`seed         train 0.500, holdout 0.000  (${SEED})`);
  expect(human.stdout).toContain('trials       22 recorded');
  expect(human.stdout).toContain('spend        $0.2200');
  expect(human.stdout).toContain(`best harness ${GOOD}`);
  expect(human.stdout).toContain(String((s['bestHarness'] as { export: string }).export));
});

test('export writes the best harness as a folder eval runs unchanged, with CARD.md', async () => {
  const out = path.join(tmp, 'best');
  const r = await cli(['export', campaignDir, '--out', out]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`exported the best harness ${GOOD}`);
  expect((await readdir(out)).sort()).toEqual(['CARD.md', 'harness.yaml', 'system.md']);
  expect((await loadHarness(out)).id).toBe(GOOD); // the card is not part of the harness

  const card = await readFile(path.join(out, 'CARD.md'), 'utf8');
  expect(card).toContain(`# Harness \`${GOOD}\` of campaign \`${CAMPAIGN}\``);
  expect(card).toContain('| this | train | 0.833 ± 0.167 s.e.; repeats 0.667–1.000 | 3 | 6 | $0.0100 |');
  expect(card).toContain('| this | holdout | 0.500 ± 0.500 s.e. | 2 | 2 | $0.0100 |');
  expect(card).toContain(`| seed \`${SEED}\` | train | 0.500 ± 0.289 s.e.; repeats 0.333–0.667 | 3 | 6 | $0.0100 |`);
  expect(card).toContain(`| seed \`${SEED}\` | holdout | 0.000 ± 0.000 s.e. | 2 | 2 | $0.0100 |`);
  expect(card).toContain('Improvement over the seed: train +0.333, holdout +0.500.');
  expect(card).toMatch(
    new RegExp(
      `1\\. \`${SEED}\` — generation 0[^\\n]*\\n2\\. \`${GOOD}\` — generation 1, evaluated, train 0\\.833 \\(\\+0\\.333 vs parent\\)`,
    ),
  );
  expect(card).toContain(`> ${RATIONALE}`);
  expect(card).toContain('+Always run the tests before you finish.');
  expect(card).not.toContain(BAD);

  // Runs unchanged: the exported folder is the harness of a real eval trial.
  const task = path.join(tmp, 'task');
  await writeTinyTask(task);
  const ev = await cli(['eval', task, '--harness', out, '--json', '--out', path.join(tmp, 'eval-out')], 150_000);
  expect(ev.stderr).not.toContain('autoagent:');
  expect(ev.code).toBe(0);
  const line = jsonLines(ev.stdout, { strict: true })[0]!;
  expect(line).toMatchObject({ type: 'trial', stopReason: 'end_turn', error: null });
  const record = JSON.parse(
    await readFile(path.join(tmp, 'eval-out', String(line['trialId']), 'autoagent.json'), 'utf8'),
  ) as TrialResult;
  expect(record.harnessId).toBe(GOOD);
}, 200_000);

test('export --candidate writes that one (the seed: no diff); a non-empty --out is refused, nothing overwritten', async () => {
  const out = path.join(tmp, 'seed');
  expect((await cli(['export', campaignDir, '--candidate', SEED, '--out', out])).code).toBe(0);
  expect((await loadHarness(out)).id).toBe(SEED);
  expect(await readFile(path.join(out, 'CARD.md'), 'utf8')).toContain('None: this is the seed.');
  const again = await cli(['export', campaignDir, '--out', out]);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain(`${out}: the folder is not empty`);
  expect((await loadHarness(out)).id).toBe(SEED);
  const unknown = await cli(['export', campaignDir, '--candidate', 'h-nope', '--out', path.join(tmp, 'nope')]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('has no candidate h-nope');
  expect(existsSync(path.join(tmp, 'nope'))).toBe(false);
});

test('export --trials writes every trial as a Harbor job that Harbor reads, old trajectories brought to v1.8', async () => {
  const out = path.join(tmp, 'trials-job');
  const r = await cli(['export', campaignDir, '--trials', '--out', out]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('exported 22 trial(s)');
  const report = await harborValidate([out]);
  expect(report.errors).toEqual([]);
  const count = (m: string): number => report.checked.filter(([, x]) => x === m).length;
  expect([
    count('JobConfig'),
    count('JobResult'),
    count('TrialConfig'),
    count('TrialResult'),
    count('Trajectory'),
  ]).toEqual([1, 1, 22, 22, 22]);
  const legacy = JSON.parse(
    await readFile(path.join(out, `tr-${SEED.slice(2, 8)}-t-a-0`, 'agent', 'trajectory.json'), 'utf8'),
  ) as { schema_version: string; subagent_trajectories: unknown[] };
  expect(legacy.schema_version).toBe('ATIF-v1.8');
  expect(legacy.subagent_trajectories).toHaveLength(1);
  const job = JSON.parse(await readFile(path.join(out, 'result.json'), 'utf8')) as {
    stats: { evals: Record<string, { n_trials: number; metrics: { mean: number }[] }> };
  };
  expect(job.stats.evals[`autoagent-harness__${MODEL}__adhoc`]).toMatchObject({
    n_trials: 22,
    metrics: [{ mean: expect.closeTo(9 / 22, 9) }],
  });
  expect(await readFile(path.join(out, `tr-${GOOD.slice(2, 8)}-t-b-1`, 'verifier', 'test-stdout.txt'), 'utf8')).toBe(
    'full verifier log of t-b',
  );
});

async function writeTinyTask(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'environment'), { recursive: true });
  await mkdir(path.join(dir, 'tests'), { recursive: true });
  await writeFile(
    path.join(dir, 'task.toml'),
    'version = "1.0"\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n[verifier]\ntimeout_sec = 30\n',
  );
  await writeFile(path.join(dir, 'instruction.md'), 'Write "hello" to /app/out.txt.\n');
  await writeFile(path.join(dir, 'environment', 'Dockerfile'), 'FROM debian:bookworm-slim\nWORKDIR /app\n');
  await writeFile(path.join(dir, 'tests', 'test.sh'), 'echo 0 > /logs/verifier/reward.txt\n', { mode: 0o755 });
}
