/**
 * campaign.yaml `metric`: a trial is scored by that reward.json metric (Harbor multi-metric rewards), fresh
 * and from the cache alike; every metric stays on the stored record; `reward` is the default.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { TrialRunner } from '../../src/activities/ports';
import type { TrialOutcome } from '../../src/workflows/types';
import { trialFixture, type TrialFixture } from '../support/trial-activity';
import { fakeTrialResult } from '../temporal/support/fakes';

let f: TrialFixture;
let runs = 0;

beforeAll(async () => {
  f = await trialFixture('aa-metric-');
});
afterAll(() => f.store.close());

const runTrial: TrialRunner = async (req) => {
  runs++;
  // As the pipeline gives it: no `reward` key is the verifier's reason, the metrics are kept.
  return fakeTrialResult(req, 0, {
    error: 'RewardParseError: no "reward" metric',
    verifier: {
      reward: 0,
      reason: 'no "reward" metric',
      exitCode: 0,
      output: '',
      rewards: { accuracy: 0.75, f1: 0.5 },
    },
  });
};
const request = (metric?: string) => f.request('mm', metric ? { metric } : {});

test('scored by the named metric, fresh and cached; by reward without one', async () => {
  const env = new MockActivityEnvironment();
  const run = (metric?: string): Promise<TrialOutcome> =>
    env.run(f.activity(runTrial), request(metric)) as Promise<TrialOutcome>;
  expect((await run('accuracy')).reward).toBe(0.75);
  expect(runs).toBe(1);
  const cached = await run('f1');
  expect(cached).toMatchObject({ reward: 0.5, cached: true });
  expect(runs).toBe(1);
  expect((await run()).reward).toBe(0);
  expect((await run('missing')).reward).toBe(0);
  expect((await f.store.listTrials('c'))[0]?.result.verifier.rewards).toEqual({ accuracy: 0.75, f1: 0.5 });
});
