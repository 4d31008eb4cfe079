import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTask } from '../../../src/tasks/load';
import { aggregateSteps, gateFailure, stepView } from '../../../src/trial/multi-step';
import type { TaskStep } from '../../../src/tasks/types';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-steps-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
const base = { 'environment/Dockerfile': 'FROM debian:bookworm-slim\n' };

test('a multi-step task loads without a root instruction.md or tests/test.sh when its steps have them', async () => {
  const t = await loadTask(
    folder({
      ...base,
      'task.toml': '[[steps]]\nname = "a"\nmin_reward = 0.5\n[steps.agent]\ntimeout_sec = 9\n',
      'steps/a/instruction.md': 'do a\n',
      'steps/a/tests/test.sh': 'echo 1 > /logs/verifier/reward.txt\n',
    }),
  );
  expect(t.instruction).toBe('do a\n');
  expect(t.steps?.[0]).toMatchObject({
    name: 'a',
    workdirDir: null,
    solveScript: null,
    config: { minReward: 0.5, agentTimeoutSec: 9 },
  });
  expect(t.config.multiStepRewardStrategy).toBe('mean');
});

test('a step with no instruction, no tests anywhere, or a duplicate name is an error naming the file and field', async () => {
  await expect(
    loadTask(folder({ ...base, 'task.toml': '[[steps]]\nname = "a"\n', 'steps/a/tests/test.sh': 'x' })),
  ).rejects.toThrow(/steps\/a\/instruction\.md: step "a" has no instruction\.md/);
  await expect(
    loadTask(folder({ ...base, 'task.toml': '[[steps]]\nname = "a"\n', 'steps/a/instruction.md': 'x' })),
  ).rejects.toThrow(/step "a" has no tests\/test\.sh, and the task has no tests\/test\.sh either/);
  await expect(
    loadTask(folder({ ...base, 'task.toml': '[[steps]]\nname = "a"\n[[steps]]\nname = "a"\n' })),
  ).rejects.toThrow(/\[steps\]\[1\]\.name: duplicate step name "a"/);
  await expect(loadTask(folder({ ...base, 'task.toml': '[[steps]]\nname = "../x"\n' }))).rejects.toThrow(
    /\[steps\]\[0\]\.name/,
  );
  await expect(loadTask(folder({ ...base, 'task.toml': 'multi_step_reward_strategy = "max"\n' }))).rejects.toThrow(
    /multi_step_reward_strategy/,
  );
});

const step = (minReward: TaskStep['config']['minReward']): TaskStep => ({
  name: 's',
  instruction: 'i',
  testsDir: null,
  workdirDir: null,
  setupScript: null,
  solveScript: null,
  config: {
    name: 's',
    agentTimeoutSec: null,
    verifierTimeoutSec: null,
    verifierEnv: {},
    agentUser: null,
    verifierUser: null,
    minReward,
    healthcheck: null,
    artifacts: [],
    serviceArtifacts: [],
    collect: [],
  },
});
const v = (reward: number, rewards?: Record<string, number>) => ({
  reward,
  ...(rewards ? { rewards } : {}),
  reason: null,
  exitCode: 0,
  output: '',
  durationMs: 1,
});

test('min_reward gates on reward (a number) or on each key (a map); a missing key fails the gate', () => {
  expect(gateFailure(step(null), v(0))).toBeNull();
  expect(gateFailure(step(0.5), v(0.5))).toBeNull();
  expect(gateFailure(step(0.5), v(0.4))).toMatch(/reward 0\.4 is below min_reward 0\.5/);
  expect(gateFailure(step({ acc: 0.9 }), v(1, { reward: 1, acc: 0.95 }))).toBeNull();
  expect(gateFailure(step({ acc: 0.9 }), v(1, { reward: 1 }))).toMatch(/acc missing/);
});

test('mean averages each key over the verified steps (missing = 0); final takes the last step', () => {
  const steps = [
    { name: 'a', verifier: v(1, { reward: 1, x: 1 }) },
    { name: 'b', verifier: v(0, { reward: 0 }) },
  ];
  expect(aggregateSteps(steps, 'mean')).toMatchObject({ reward: 0.5, rewards: { reward: 0.5, x: 0.5 } });
  expect(aggregateSteps(steps, 'final')).toMatchObject({ reward: 0, rewards: { reward: 0 } });
  expect(aggregateSteps([], 'mean')).toMatchObject({ reward: 0, reason: 'no step was verified' });
});

test("a step's users override the task's for that step only", async () => {
  const t = await loadTask(
    folder({
      ...base,
      'task.toml':
        'version = "1.4"\n[agent]\nuser = "agent"\n[verifier]\nuser = "checker"\n[[steps]]\nname = "a"\n[steps.verifier]\nuser = "0"\n[[steps]]\nname = "b"\n',
      'steps/a/instruction.md': 'Do a.\n',
      'steps/b/instruction.md': 'Do b.\n',
      'tests/test.sh': 'echo 1 > /logs/verifier/reward.txt\n',
    }),
  );
  const [a, b] = t.steps ?? [];
  const view = (s: TaskStep) => stepView(t, s, '/tmp/tests');
  expect(view(a as TaskStep).config.agent.user).toBe('agent');
  expect(view(a as TaskStep).config.verifier.user).toBe('0');
  expect(view(b as TaskStep).config.verifier.user).toBe('checker');
});
