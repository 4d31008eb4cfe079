import { drive } from '../../../benchmarks/search-sim/drive';
import { fullPolicy, minibatchPolicy, minibatchTasks, type ObservedTrial } from '../../../src/search/evaluation';
import { createRng, deriveSeed } from '../../../src/search/rng';
import { bernoulli, policyInput, taskNames } from './evaluation-helpers';

describe('minibatch evaluation policy', () => {
  const tasks = taskNames(10);
  const parentScores = Object.fromEntries(tasks.map((t) => [t, [1, 0]]));
  const input = policyInput({
    tasks,
    repeats: 2,
    parentScores,
    spec: { policy: 'minibatch', minibatch: { fraction: 0.3 } },
  });

  it('screens first on a seeded sample of the train tasks, one run each', () => {
    const screen = minibatchPolicy.initial(input);
    expect(screen).toHaveLength(3);
    expect(screen.every((t) => t.repeat === 0 && tasks.includes(t.task))).toBe(true);
    expect(minibatchPolicy.initial(input)).toEqual(screen); // deterministic for a seed
    const samples = new Set([1, 2, 3, 4, 5, 6].map((seed) => minibatchTasks({ ...input, seed }).join()));
    expect(samples.size).toBeGreaterThan(1);
  });

  it('honours an explicit size, capped at the train split', () => {
    expect(
      minibatchTasks(policyInput({ tasks, parentScores, spec: { policy: 'minibatch', minibatch: { size: 4 } } })),
    ).toHaveLength(4);
    // A screen as large as the whole schedule is just the full schedule.
    const all = policyInput({
      tasks,
      repeats: 1,
      parentScores,
      spec: { policy: 'minibatch', minibatch: { size: 50 } },
    });
    expect(minibatchPolicy.initial(all)).toEqual(fullPolicy.initial(all));
  });

  it('rejects a child worse than its parent on the minibatch without running the rest', () => {
    const screen = minibatchPolicy.initial(input);
    const observed = screen.map((t) => ({ ...t, score: 0 }));
    const step = minibatchPolicy.next(input, observed, []);
    expect(step).toMatchObject({ verdict: 'stop', decided: 'reject' });
    if (step.verdict === 'stop')
      expect(step.reason).toMatch(/minibatch screen failed: 0 vs parent 0.5 on a minibatch of 3 tasks/);
  });

  it('sends a child not worse on the minibatch on to the rest of the full schedule, then to the acceptance rule', () => {
    const screen = minibatchPolicy.initial(input);
    const observed: ObservedTrial[] = screen.map((t, i) => ({ ...t, score: i === 0 ? 0 : 1 }));
    const step = minibatchPolicy.next(input, observed, []);
    if (step.verdict !== 'continue') throw new Error(`expected continue, got ${JSON.stringify(step)}`);
    expect(step.schedule).toHaveLength(tasks.length * 2 - screen.length);
    const keys = new Set([...observed, ...step.schedule].map((t) => `${t.task}#${t.repeat}`));
    expect(keys.size).toBe(tasks.length * 2); // every (task, repeat) exactly once
    const done = [...observed, ...step.schedule.map((t) => ({ ...t, score: 1 }))];
    expect(minibatchPolicy.next(input, done, [])).toMatchObject({ verdict: 'stop', decided: null });
  });

  it('waits for pending screen trials, and runs the full schedule for the seed (no parent)', () => {
    const screen = minibatchPolicy.initial(input);
    expect(minibatchPolicy.next(input, [{ ...screen[0]!, score: 0 }], screen.slice(1))).toEqual({
      verdict: 'continue',
      schedule: [],
    });
    const seedInput = policyInput({ tasks, parentScores: {}, spec: { policy: 'minibatch' } });
    expect(minibatchPolicy.initial(seedInput)).toEqual(fullPolicy.initial(seedInput));
  });

  it('never accepts on its own, and screens out most clearly worse children cheaply', () => {
    let trials = 0;
    for (let seed = 0; seed < 200; seed++) {
      const rng = createRng(deriveSeed(seed, 'trials'));
      const res = drive(
        minibatchPolicy,
        { ...input, seed },
        { window: 2, rng: createRng(seed), sample: () => bernoulli(0.15, rng) },
      );
      if (res.outcome !== 'stopped') throw new Error('unlimited budget');
      expect(res.step.decided).not.toBe('accept');
      trials += res.charged;
    }
    expect(trials / 200).toBeLessThan(0.5 * tasks.length * 2);
  });
});
