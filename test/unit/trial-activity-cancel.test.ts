/**
 * The runTrial activity under Temporal activity cancellation (MockActivityEnvironment delivers it the way
 * the worker does: abort signal + cancellation details), with a real store and a real harness folder:
 * - cancelled by the workflow mid-trial: the activity fails as CANCELLED (not a fault), nothing is stored;
 * - the trial completed although the cancellation came first: it is stored once and returned (the workflow
 *   waits for the outcome and charges it once) — a stored trial is never left unreported;
 * - a worker shutdown is no cancellation request: the error stays a failure (Temporal retries it);
 * - unlessAborted, the trial pipeline's way to stop waiting for an agent once cancelled.
 */
import { CancelledFailure } from '@temporalio/common';
import { ActivityCancellationDetails } from '@temporalio/common/lib/activity-cancellation-details';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialRunner } from '../../src/activities/ports';
import type { TrialResult } from '../../src/trial/types';
import { unlessAborted } from '../../src/trial/phases';
import { trialFixture, type TrialFixture } from '../support/trial-activity';
import { fakeTrialResult } from '../temporal/support/fakes';

let f: TrialFixture;
beforeAll(async () => {
  f = await trialFixture('aa-cancel-');
});
afterAll(() => f.store.close());

const resultOf = (req: Parameters<TrialRunner>[0]): TrialResult => fakeTrialResult(req, 1);

const activityWith = (runTrial: TrialRunner) => f.activity(runTrial);

/** A runner that signals when it has started, then does what `then` says once its signal aborts. */
function runner(then: 'throw-reason' | 'throw-other' | 'complete') {
  let started: () => void = () => undefined;
  const running = new Promise<void>((r) => (started = r));
  const run: TrialRunner = async (req) => {
    started();
    await new Promise((r) => req.signal.addEventListener('abort', r, { once: true }));
    if (then === 'throw-reason') throw req.signal.reason;
    if (then === 'throw-other') throw new Error('docker exec failed: container removed');
    return resultOf(req);
  };
  return { run, running };
}

test('cancelled mid-trial: the activity ends CANCELLED and stores nothing', async () => {
  for (const how of ['throw-reason', 'throw-other'] as const) {
    const task = `cancel-${how}`;
    const r = runner(how);
    const env = new MockActivityEnvironment();
    const done = env.run(activityWith(r.run), f.request(task));
    await r.running;
    env.cancel('CANCELLED', new ActivityCancellationDetails({ cancelRequested: true }));
    await expect(done).rejects.toBeInstanceOf(CancelledFailure);
    expect((await f.store.listTrials('c')).filter((t) => t.task === task)).toEqual([]);
  }
});

test('a trial that completed although cancelled is stored once and reported (so charged once)', async () => {
  const r = runner('complete');
  const env = new MockActivityEnvironment();
  const done = env.run(activityWith(r.run), f.request('completed-anyway'));
  await r.running;
  env.cancel('CANCELLED', new ActivityCancellationDetails({ cancelRequested: true }));
  const outcome = await done;
  expect(outcome).toMatchObject({ task: 'completed-anyway', reward: 1, cached: false });
  expect((await f.store.listTrials('c')).filter((t) => t.task === 'completed-anyway')).toHaveLength(1);
});

test('a worker shutdown is not a cancellation request: the error stays a (retried) failure', async () => {
  const r = runner('throw-other');
  const env = new MockActivityEnvironment();
  const done = env.run(activityWith(r.run), f.request('shutdown'));
  await r.running;
  env.cancel('WORKER_SHUTDOWN', new ActivityCancellationDetails({ workerShutdown: true }));
  await expect(done).rejects.toThrow('docker exec failed: container removed');
  await expect(done).rejects.not.toBeInstanceOf(CancelledFailure);
  expect((await f.store.listTrials('c')).filter((t) => t.task === 'shutdown')).toEqual([]);
});

describe('unlessAborted', () => {
  it('rejects with the reason as soon as the signal aborts, without waiting for the work', async () => {
    const ac = new AbortController();
    const never = new Promise<string>(() => undefined);
    const p = unlessAborted(ac.signal, never);
    ac.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
  });

  it('passes the work through when no abort comes, and swallows its late failure after one', async () => {
    const ac = new AbortController();
    await expect(unlessAborted(ac.signal, Promise.resolve('ok'))).resolves.toBe('ok');
    await expect(unlessAborted(ac.signal, Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let fail: (e: Error) => void = () => undefined;
    const late = new Promise<string>((_, reject) => (fail = reject));
    const p = unlessAborted(ac.signal, late);
    ac.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
    fail(new Error('late')); // must not surface as an unhandled rejection
    await new Promise((r) => setImmediate(r));
  });

  it('rejects at once for a signal already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('before'));
    await expect(unlessAborted(ac.signal, new Promise(() => undefined))).rejects.toThrow('before');
  });
});
