/**
 * runTrial with the harness agent in a real Docker sandbox and the real SDK against the fault-injecting fake
 * Messages API: a systemic model fault (401, 529 past the SDK's retries, the server down) throws and leaves
 * nothing behind — no result, no files, no container — while every task-level outcome is a result with a
 * structured `failure` naming its phase and type (or none for a clean run, even at reward 0).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runHarnessAgent } from '../../../src/agent/harness-agent';
import { createAnthropicClient } from '../../../src/llm/client';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import type { Task } from '../../../src/tasks/types';
import { runTrial, trialIdFor, type AgentRunner } from '../../../src/trial/run-trial';
import { KEY, closeFakes, makeHarness, startFake } from '../../support/agent-run';
import { FAULTS, slow, text, toolUse, type FakeScript } from '../../support/fake-anthropic';
import { containersForTrial, makeTask, requireDocker, tmpDir } from './support';

const provider = new DockerSandboxProvider();
const harness = makeHarness();
let outDir: string;
let task: Task;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-trial-faults-');
  task = await makeTask();
  await provider.ensureImage(task); // built here, not inside a test
}, 300_000);
afterEach(closeFakes);

let repeat = 0;
async function trial(script: FakeScript, o: { task?: Task; url?: string; timeoutMs?: number } = {}) {
  const f = await startFake(script);
  const llm = createAnthropicClient({
    apiKey: KEY,
    baseURL: o.url ?? f.url,
    maxRetries: 1,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
  const runAgent: AgentRunner = (ctx) =>
    runHarnessAgent({
      harness,
      taskName: ctx.task.name,
      instruction: ctx.task.instruction,
      sandbox: ctx.sandbox,
      recorder: ctx.recorder,
      deadlineMs: ctx.deadlineMs,
      signal: ctx.signal,
      llm,
    });
  const t = o.task ?? task;
  const r = repeat++;
  const trialId = trialIdFor({
    taskHash: t.hash,
    agentKey: harness.id,
    model: harness.config.model,
    repeat: r,
    taskName: t.name,
  });
  const result = runTrial({ task: t, agent: 'harness', harness, repeat: r, outDir, provider, runAgent, trialId });
  return { f, trialId, result };
}

async function expectNothingLeft(trialId: string): Promise<void> {
  await expect(fs.stat(path.join(outDir, trialId))).rejects.toMatchObject({ code: 'ENOENT' });
  expect(await containersForTrial(trialId)).toHaveLength(0);
}

const solve = [
  { content: [toolUse('bash', { command: 'echo hello > /app/out.txt' })] },
  { content: [toolUse('finish', { summary: 'wrote hello' })] },
];

describe('systemic faults: thrown, nothing written', () => {
  test('401 rejected key', async () => {
    const { trialId, result } = await trial([FAULTS.unauthorized]);
    await expect(result).rejects.toMatchObject({ name: 'LlmAuthError', fault: 'credential' });
    await expectNothingLeft(trialId);
  });

  test('529 overloaded past the SDK retries, mid-run (after a tool call)', async () => {
    const { trialId, result } = await trial([solve[0]!, FAULTS.overloaded, FAULTS.overloaded]);
    await expect(result).rejects.toMatchObject({ name: 'LlmOverloadedError', fault: 'outage' });
    await expectNothingLeft(trialId);
  });

  test('answers slower than the client timeout (well inside the agent timeout)', async () => {
    const { f, trialId, result } = await trial([slow(solve[0]!, 10_000), slow(solve[0]!, 10_000)], { timeoutMs: 500 });
    await expect(result).rejects.toMatchObject({
      name: 'LlmServerError',
      fault: 'outage',
      message: expect.stringMatching(/timed out/i),
    });
    expect(f.requests).toHaveLength(2); // the SDK's retry timed out too
    await expectNothingLeft(trialId);
  });

  test('connection refused', async () => {
    const down = await startFake([]);
    await down.down();
    const { trialId, result } = await trial([], { url: down.url });
    await expect(result).rejects.toMatchObject({ name: 'LlmServerError', fault: 'outage' });
    await expectNothingLeft(trialId);
  });
});

describe('task-level outcomes: results with a structured failure', () => {
  test('a clean solve: reward 1, no failure', async () => {
    const r = await (await trial(solve)).result;
    expect(r).toMatchObject({ reward: 1, error: null, failure: null, stopReason: 'finished' });
  });

  test('a wrong answer ("done" without doing it): reward 0, still no failure', async () => {
    const r = await (await trial([{ content: [text('done')] }])).result;
    expect(r).toMatchObject({ reward: 0, error: null, failure: null, stopReason: 'end_turn' });
  });

  test('a refused conversation (400 prompt too long): reward 0, failure in the agent phase', async () => {
    const r = await (
      await trial([{ error: 'bad_request', message: 'prompt is too long: 210000 tokens > 200000 maximum' }])
    ).result;
    expect(r).toMatchObject({
      reward: 0,
      stopReason: 'error',
      failure: { phase: 'agent', type: 'LlmBadRequestError', message: expect.stringContaining('prompt is too long') },
    });
  });

  test('the agent timeout: failure AgentTimeoutError, the verifier still grades', async () => {
    const short = await makeTask({ name: 'short-task', toml: 'version = "1.0"\n[agent]\ntimeout_sec = 3\n' });
    await provider.ensureImage(short);
    const r = await (await trial([solve[0]!, slow(solve[1]!, 30_000)], { task: short, timeoutMs: 60_000 })).result;
    expect(r).toMatchObject({
      stopReason: 'timeout',
      reward: 1,
      failure: { phase: 'agent', type: 'AgentTimeoutError' },
    });
  });

  test('no reward file: failure in the verifier phase', async () => {
    const noReward = await makeTask({ name: 'no-reward', testSh: 'echo checked\n' });
    await provider.ensureImage(noReward);
    const r = await (await trial(solve, { task: noReward })).result;
    expect(r).toMatchObject({ reward: 0, failure: { phase: 'verifier', type: 'RewardFileMissingError' } });
  });

  test('an image that does not build: failure in the build phase', async () => {
    const broken = await makeTask({ name: 'broken-image', dockerfile: 'FROM debian:bookworm-slim\nRUN exit 3\n' });
    const { f, result } = await trial(solve, { task: broken });
    expect(await result).toMatchObject({ reward: 0, failure: { phase: 'build', type: 'ImageBuildError' } });
    expect(f.requests).toHaveLength(0);
  }, 120_000);
});
