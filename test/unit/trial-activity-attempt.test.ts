/**
 * ranInEarlierAttempt: a stored trial found by a retried runTrial activity is "ours, never charged" only
 * when an earlier attempt of the same activity recorded it (same campaign and candidate, after the first
 * schedule); every other hit is a cache hit that was charged when first reported.
 */
import { ranInEarlierAttempt } from '../../src/activities/trial';

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
