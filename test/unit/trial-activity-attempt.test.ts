/**
 * ranInEarlierAttempt: a stored trial found by a retried runTrial activity is "ours, never charged" only
 * when an earlier attempt of the same activity recorded it (same campaign and candidate, after the first
 * schedule); every other hit is a cache hit that was charged when first reported.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialRunner } from '../../src/activities/ports';
import { ranInEarlierAttempt } from '../../src/activities/trial';
import type { TrialOutcome } from '../../src/workflows/types';
import { trialFixture, type TrialFixture } from '../support/trial-activity';
import { fakeTrialResult } from '../temporal/support/fakes';

const scheduled = Date.parse('2025-06-01T10:00:00.000Z');
const hit = { campaign: 'c', candidateId: 'h-1', createdAt: '2025-06-01T10:00:30.000Z' };
const req = { campaign: 'c', candidateId: 'h-1' };

describe('ranInEarlierAttempt', () => {
  it('is true for a retry that finds what its own earlier attempt stored', () => {
    expect(ranInEarlierAttempt(hit, req, { attempt: 2, scheduledTimestampMs: scheduled })).toBe(true);
  });

  it('is false on a first attempt, for another campaign or candidate, and for trials stored before scheduling', () => {
    expect(ranInEarlierAttempt(hit, req, { attempt: 1, scheduledTimestampMs: scheduled })).toBe(false);
    expect(
      ranInEarlierAttempt({ ...hit, campaign: 'other' }, req, { attempt: 2, scheduledTimestampMs: scheduled }),
    ).toBe(false);
    expect(
      ranInEarlierAttempt({ ...hit, candidateId: 'h-2' }, req, { attempt: 2, scheduledTimestampMs: scheduled }),
    ).toBe(false);
    expect(
      ranInEarlierAttempt({ ...hit, createdAt: '2025-06-01T09:59:59.000Z' }, req, {
        attempt: 3,
        scheduledTimestampMs: scheduled,
      }),
    ).toBe(false);
  });
});

/**
 * Two attempts of one trial activity overlapping (the server timed the first out while it still ran, and
 * refused its report): the second attempt's cache lookup misses, it runs, and finds the row the first one
 * recorded meanwhile. That trial was never charged, so the second attempt reports it as run; a first
 * attempt that finds a row someone else recorded meanwhile reports a cache hit.
 */
describe('runTrial when the row appears while it runs', () => {
  let f: TrialFixture;
  beforeAll(async () => {
    f = await trialFixture('aa-attempt-');
  });
  afterAll(() => f.store.close());

  // The overlapping run (the earlier attempt, or another worker) records the same trial just before this one does.
  const runTrial: TrialRunner = async (req) => {
    const result = fakeTrialResult(req, 1);
    await f.store.recordTrial(result, { campaign: 'c', candidateId: 'h-x', taskHash: req.task.hash });
    return result;
  };
  const activity = (): ReturnType<TrialFixture['activity']> => f.activity(runTrial);
  const startedAt = Date.now() - 1_000;

  it('a retry (attempt 2) reports it as run: charged once', async () => {
    const env = new MockActivityEnvironment({ attempt: 2, scheduledTimestampMs: startedAt });
    const out = (await env.run(activity(), f.request('a'))) as TrialOutcome;
    expect(out.cached).toBe(false);
    expect(await f.store.listTrials('c', { task: 'a' })).toHaveLength(1);
  });

  it('a first attempt reports a cache hit: it was charged where it ran', async () => {
    const env = new MockActivityEnvironment({ attempt: 1, scheduledTimestampMs: startedAt });
    const out = (await env.run(activity(), f.request('b'))) as TrialOutcome;
    expect(out.cached).toBe(true);
    expect(await f.store.listTrials('c', { task: 'b' })).toHaveLength(1);
  });
});
