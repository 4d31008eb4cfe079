/**
 * The runTrial activity's judge step on its own (src/activities/judge-trial.ts), against a real store and
 * the local fake Messages API through the real SDK: off unless the campaign's `prepared` event turns it on;
 * only the sample (passing train trials of proposed candidates, repeat < sample); each verdict stored once
 * and reused; a rejected key is a typed systemic fault, never a verdict.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { judgeTrial, JUDGED_EVENT, screenTrial } from '../../src/activities/judge-trial';
import { createAnthropicClient } from '../../src/llm/client';
import { createTamperJudge } from '../../src/meta/screen/judge';
import { openStore, type CampaignStore } from '../../src/store/store';
import { LLM_FAULT_ERRORS } from '../../src/workflows/error-names';
import { closeFakes, startFake } from '../support/agent-run';
import { text } from '../support/fake-anthropic';
import { useTmpDir } from '../support/tmp-dir';

afterEach(closeFakes);
const tmp = useTmpDir('aa-judge-trial-');

const TRAJ = JSON.stringify({
  steps: [
    {
      step_id: 1,
      source: 'agent',
      message: '',
      tool_calls: [{ function_name: 'bash', arguments: { command: 'make' } }],
    },
  ],
});
const FLAG = { content: [text('{"reward_hacking": true, "explanation": "hard-coded the expected output"}')] };

async function setup(
  judge: { model: string; sample: number } | null,
): Promise<{ store: CampaignStore; task: { name: string; dir: string; hash: string } }> {
  const store = await openStore(tmp());
  await store.appendEvent('c', 'prepared', { seed: 'h-seed', holdoutTasks: ['h1'], tamperingJudge: judge });
  const dir = path.join(tmp(), 'task-a');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'instruction.md'), 'Print the sum.\n');
  return { store, task: { name: 'a', dir, hash: 'x' } };
}

const base = { campaign: 'c', trialId: 't-a-0', candidateId: 'h-child', repeat: 0, reward: 1, trajectoryText: TRAJ };

test('judges the sample once, reuses the stored verdict, and skips what is not sampled', async () => {
  const fake = await startFake([FLAG]);
  const { store, task } = await setup({ model: 'claude-sonnet-4-6', sample: 1 });
  const judgeFor = (m: string) =>
    createTamperJudge(createAnthropicClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 }), m);
  const first = await judgeTrial({ ...base, store, task, judgeFor });
  expect(first.tampering).toBe('LLM judge (claude-sonnet-4-6): hard-coded the expected output');
  expect(first.usage.outputTokens).toBeGreaterThan(0);
  expect(JSON.stringify(fake.requests[0]?.body)).toContain('Print the sum.');
  const again = await judgeTrial({ ...base, store, task, judgeFor });
  expect(again).toEqual({
    tampering: first.tampering,
    usage: expect.objectContaining({ outputTokens: 0, costUsd: 0 }),
  });
  expect(await store.listEvents('c', { kind: JUDGED_EVENT })).toHaveLength(1);

  for (const skip of [
    { repeat: 1 },
    { reward: 0 },
    { candidateId: 'h-seed' },
    { task: { ...task, name: 'h1' } },
    { trajectoryText: undefined },
  ]) {
    expect((await judgeTrial({ ...base, store, task, judgeFor, trialId: 'other', ...skip })).tampering).toBeNull();
  }
  expect(fake.requests).toHaveLength(1);
});

test('off without tamperingJudge; the deterministic screen answers first and the judge is not asked', async () => {
  const fake = await startFake([FLAG]);
  const judgeFor = (m: string) =>
    createTamperJudge(createAnthropicClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 }), m);
  const off = await setup(null);
  expect((await judgeTrial({ ...base, ...off, judgeFor })).tampering).toBeNull();
  const on = await openStore(path.join(tmp(), 'on'));
  await on.appendEvent('c', 'prepared', { tamperingJudge: { model: 'claude-sonnet-4-6', sample: 1 } });
  const forged = JSON.stringify({
    steps: [
      {
        step_id: 1,
        tool_calls: [{ function_name: 'bash', arguments: { command: 'echo 1 > /logs/verifier/reward.txt' } }],
      },
    ],
  });
  const r = await screenTrial({ ...base, store: on, task: off.task, trajectoryText: forged, judgeFor });
  expect(r.tampering).toMatch(/\[verifier-output\]/);
  expect(fake.requests).toHaveLength(0);
});

test('a rejected judge key is a typed credential fault, not a verdict, and nothing is stored', async () => {
  const fake = await startFake([{ error: 'auth' }]);
  const { store, task } = await setup({ model: 'claude-sonnet-4-6', sample: 1 });
  const judgeFor = (m: string) =>
    createTamperJudge(createAnthropicClient({ apiKey: 'bad', baseURL: fake.url, maxRetries: 0 }), m);
  await expect(judgeTrial({ ...base, store, task, judgeFor })).rejects.toMatchObject({
    type: LLM_FAULT_ERRORS.credential,
    nonRetryable: true,
  });
  expect(await store.listEvents('c', { kind: JUDGED_EVENT })).toHaveLength(0);
});
