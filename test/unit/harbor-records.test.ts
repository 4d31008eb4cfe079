/**
 * Our trial and job records in Harbor's shapes (src/harbor): the mapping of rewards (one metric or several),
 * failures, models and timings, checked by value and then by Harbor's own models (TrialResult, JobResult).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { harborJobResult } from '../../src/harbor/job-record';
import { modelInfo, uuidFor } from '../../src/harbor/ids';
import { harborTrialResult } from '../../src/harbor/trial-record';
import type { TrialResult } from '../../src/trial/types';
import { harborValidate } from '../support/harbor';
import { useTmpDir } from '../support/tmp-dir';

const tmp = useTmpDir('harbor-rec-');
const TASK = { path: '/tasks/t1', checksum: 'abc123', verifierMode: 'separate' as const };

function trial(over: Partial<TrialResult> & { rewards?: Record<string, number> } = {}): TrialResult {
  const { rewards, ...rest } = over;
  return {
    trialId: 't1-harness-r0-1',
    task: 't1',
    agent: 'harness',
    harnessId: 'h-1',
    model: 'openai/gpt-4o',
    repeat: 0,
    reward: 0.5,
    error: null,
    failure: null,
    stopReason: 'finished',
    turns: 3,
    usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 30, cacheWriteTokens: 5, costUsd: 0.25 },
    verifier: { reward: 0.5, reason: null, exitCode: 0, output: 'ok', ...(rewards ? { rewards } : {}) },
    timings: { buildMs: 1000, startMs: 500, agentMs: 3000, verifyMs: 700, totalMs: 5300 },
    trajectoryPath: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    ...rest,
  };
}

test('a trial: tokens as Harbor counts them, the model split, phases end to end, a stable id', () => {
  const r = harborTrialResult(trial(), { task: TASK, trialDir: '/jobs/j/t1-harness-r0-1', trialsDir: '/jobs/j' });
  expect(r).toMatchObject({
    id: uuidFor('trial:t1-harness-r0-1'),
    trial_uri: 'file:///jobs/j/t1-harness-r0-1',
    task_checksum: 'abc123',
    verifier_environment_mode: 'separate',
    agent_info: { name: 'autoagent-harness', model_info: { name: 'gpt-4o', provider: 'openai' } },
    agent_result: { n_input_tokens: 135, n_cache_tokens: 30, n_output_tokens: 20, cost_usd: 0.25 },
    verifier_result: { rewards: { reward: 0.5 } },
    exception_info: null,
    environment_setup: { started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:01.500Z' },
    agent_execution: { started_at: '2026-01-01T00:00:01.500Z', finished_at: '2026-01-01T00:00:04.500Z' },
    verifier: { started_at: '2026-01-01T00:00:04.500Z', finished_at: '2026-01-01T00:00:05.200Z' },
    finished_at: '2026-01-01T00:00:05.300Z',
  });
  expect(uuidFor('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(modelInfo('claude-sonnet-4-6')).toEqual({ name: 'claude-sonnet-4-6', provider: 'anthropic' });
  expect(modelInfo(null)).toBeNull();
});

test("several metrics: each recorded, and the job metric is the mean of each (Harbor's Mean); failures are exceptions", async () => {
  const a = trial({ trialId: 'a', rewards: { reward: 1, speed: 0.5 } });
  const b = trial({ trialId: 'b', rewards: { reward: 0, speed: 1 } });
  const c = trial({
    trialId: 'c',
    reward: 0,
    verifier: { reward: 0, reason: 'no reward file', exitCode: 0, output: '' },
    error: 'RewardFileMissingError: x',
    failure: { phase: 'verifier', type: 'RewardFileMissingError', message: 'x' },
  });
  const ctx = { task: TASK, trialsDir: '/jobs/j' };
  expect(harborTrialResult(a, { ...ctx, trialDir: '/jobs/j/a' })['verifier_result']).toEqual({
    rewards: { reward: 1, speed: 0.5 },
  });
  expect(harborTrialResult(c, { ...ctx, trialDir: '/jobs/j/c' })).toMatchObject({
    verifier_result: null,
    exception_info: { exception_type: 'RewardFileMissingError', exception_message: 'x' },
  });
  const job = harborJobResult(
    {
      jobName: 'j',
      jobsDir: '/jobs',
      taskPaths: ['/tasks/t1'],
      agents: [{ kind: 'harness', model: 'openai/gpt-4o' }],
      repeats: 3,
      concurrency: 2,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
    },
    [a, b, c],
    3,
  );
  expect(job['stats']).toMatchObject({
    n_completed_trials: 3,
    n_errored_trials: 1,
    n_input_tokens: 405,
    cost_usd: 0.75,
    evals: {
      'autoagent-harness__gpt-4o__adhoc': {
        n_trials: 2,
        n_errors: 1,
        metrics: [{ reward: 0.5, speed: 0.75 }],
        reward_stats: { reward: { 1: ['a'], 0: ['b'] }, speed: { '0.5': ['a'], 1: ['b'] } },
        exception_stats: { RewardFileMissingError: ['c'] },
      },
    },
  });

  // And Harbor reads them.
  await mkdir(join(tmp(), 'c'));
  await writeFile(
    join(tmp(), 'c', 'result.json'),
    JSON.stringify(harborTrialResult(c, { ...ctx, trialDir: join(tmp(), 'c') })),
  );
  await writeFile(join(tmp(), 'result.json'), JSON.stringify(job));
  expect((await harborValidate([join(tmp(), 'c', 'result.json')], 'trial-result')).errors).toEqual([]);
  expect((await harborValidate([join(tmp(), 'result.json')], 'job-result')).errors).toEqual([]);
});
