import { fullPolicy, type ObservedTrial } from '../../../src/search/evaluation';
import { policyInput } from './evaluation-helpers';

describe('full evaluation policy', () => {
  const input = policyInput({ tasks: ['a', 'b', 'c'], repeats: 2, spec: { policy: 'full' } });

  it('schedules every task × repeat, task-major (the order the campaign always used)', () => {
    expect(fullPolicy.initial(input)).toEqual([
      { task: 'a', repeat: 0 },
      { task: 'a', repeat: 1 },
      { task: 'b', repeat: 0 },
      { task: 'b', repeat: 1 },
      { task: 'c', repeat: 0 },
      { task: 'c', repeat: 1 },
    ]);
  });

  it('waits while trials are pending, even when the child is clearly worse', () => {
    const observed: ObservedTrial[] = [{ task: 'a', repeat: 0, score: 0 }];
    expect(fullPolicy.next(input, observed, fullPolicy.initial(input).slice(1))).toEqual({
      verdict: 'continue',
      schedule: [],
    });
  });

  it('stops undecided once every trial is observed, leaving the decision to the acceptance rule', () => {
    const observed = fullPolicy.initial(input).map((t) => ({ ...t, score: 1 }));
    const step = fullPolicy.next(input, observed.reverse(), []);
    expect(step).toMatchObject({ verdict: 'stop', decided: null });
  });

  it('re-plans a trial that went missing instead of stopping with a gap', () => {
    const observed = fullPolicy
      .initial(input)
      .slice(1)
      .map((t) => ({ ...t, score: 0 }));
    expect(fullPolicy.next(input, observed, [])).toEqual({ verdict: 'continue', schedule: [{ task: 'a', repeat: 0 }] });
  });
});
