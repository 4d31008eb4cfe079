/** The agent deadline holds even for an agent that ignores its abort signal; crashes become outcomes. */
import { TrajectoryRecorder } from '../../../src/agent/atif/recorder';
import { zeroUsage } from '../../../src/llm/usage';
import type { Sandbox } from '../../../src/sandbox/types';
import type { Task } from '../../../src/tasks/types';
import type { AgentRunner } from '../../../src/trial/agents';
import { withHeartbeat } from '../../../src/util/heartbeat';
import { runAgentWithDeadline } from '../../../src/trial/phases';

// The runners below never touch the task or sandbox: the deadline logic is what is under test.
const ctx = {
  task: {} as Task,
  sandbox: {} as Sandbox,
  recorder: new TrajectoryRecorder({ sessionId: 's', agentName: 'a', model: null }),
};

test('an agent ignoring abort is abandoned after the grace period as a timeout', async () => {
  const deaf: AgentRunner = () => new Promise(() => undefined);
  const t0 = Date.now();
  const o = await runAgentWithDeadline(deaf, { ...ctx, timeoutSec: 0.2, graceMs: 100 });
  expect(Date.now() - t0).toBeLessThan(1000);
  expect(o).toMatchObject({ stopReason: 'timeout', error: 'AgentTimeoutError: agent did not finish within 0.2s' });
});

test('the runner sees a deadline and a signal that fires at it', async () => {
  let seen: { deadlineMs: number; aborted: boolean } | null = null;
  const polite: AgentRunner = async ({ deadlineMs, signal }) => {
    await new Promise((res) => signal?.addEventListener('abort', res, { once: true }));
    seen = { deadlineMs, aborted: signal?.aborted ?? false };
    return { stopReason: 'end_turn', turns: 1, usage: zeroUsage(), error: null, finalMessage: null };
  };
  const before = Date.now();
  const o = await runAgentWithDeadline(polite, { ...ctx, timeoutSec: 0.2 });
  expect(o.stopReason).toBe('timeout');
  expect(seen!.aborted).toBe(true);
  expect(seen!.deadlineMs).toBeGreaterThanOrEqual(before + 200);
});

test('a fast agent is returned untouched; a crashing one becomes an error outcome', async () => {
  const ok: AgentRunner = async () => ({
    stopReason: 'finished',
    turns: 2,
    usage: zeroUsage(),
    error: null,
    finalMessage: 'done',
  });
  expect(await runAgentWithDeadline(ok, { ...ctx, timeoutSec: 5 })).toMatchObject({
    stopReason: 'finished',
    turns: 2,
    finalMessage: 'done',
  });
  const bad: AgentRunner = async () => {
    throw new TypeError('nope');
  };
  expect(await runAgentWithDeadline(bad, { ...ctx, timeoutSec: 5 })).toMatchObject({
    stopReason: 'error',
    error: 'TypeError: nope',
  });
});

test('withHeartbeat beats at the start and a failing heartbeat never fails the phase', async () => {
  const beats: unknown[] = [];
  expect(
    await withHeartbeat(
      (d) => beats.push(d),
      { phase: 'x' },
      async () => 42,
    ),
  ).toBe(42);
  expect(beats).toEqual([expect.objectContaining({ phase: 'x' })]);
  expect(
    await withHeartbeat(
      () => {
        throw new Error('hb');
      },
      { phase: 'y' },
      async () => 'ok',
    ),
  ).toBe('ok');
});
