import { alwaysAcceptImprovement, beatsParentBeyondNoise, pairedDiffs } from '../../src/search/acceptance';
import { minTasksForAlpha, signFlipPValue } from '../../src/search/paired-test';
import { createRng } from '../../src/search/rng';
import { cand, tasks } from './search-helpers';

describe('paired sign-flip test', () => {
  it('computes exact p-values', () => {
    // 4 positive diffs: only the all-positive assignment reaches the observed sum → 1/16.
    expect(signFlipPValue([1, 1, 1, 1], createRng(0))).toBeCloseTo(1 / 16);
    // zeros do not count; [1, -1] → sums {2,0,0,-2} ≥ 0: 3/4
    expect(signFlipPValue([1, -1, 0, 0], createRng(0))).toBeCloseTo(3 / 4);
    expect(signFlipPValue([0, 0], createRng(0))).toBe(1);
  });

  it('falls back to a deterministic Monte Carlo estimate beyond the exact limit', () => {
    const diffs = Array.from({ length: 20 }, (_, i) => (i % 5 === 0 ? -0.2 : 0.5));
    const p1 = signFlipPValue(diffs, createRng(9), { exactMaxTasks: 8, permutations: 2000 });
    const exact = signFlipPValue(diffs, createRng(9), { exactMaxTasks: 20 });
    expect(p1).toBe(signFlipPValue(diffs, createRng(9), { exactMaxTasks: 8, permutations: 2000 }));
    expect(Math.abs(p1 - exact)).toBeLessThan(0.01);
    expect(exact).toBeLessThan(0.01);
  });

  it('knows how many tasks a test needs', () => {
    expect(minTasksForAlpha(0.1)).toBe(4);
    expect(minTasksForAlpha(0.05)).toBe(5);
    expect(minTasksForAlpha(0.125)).toBe(4);
  });
});

describe('acceptance', () => {
  const noise = beatsParentBeyondNoise({ alpha: 0.1, minDelta: 0.05 });
  const rng = () => createRng(1);

  it('pairs per-task means over shared tasks only', () => {
    const child = cand('c', { t1: [1, 0], t2: [1, 1], only: [1] });
    const parent = cand('p', { t1: [0, 0], t2: [1, 0], other: [0] });
    expect(pairedDiffs(child, parent)).toEqual([0.5, 0.5]);
  });

  it('accepts a consistent improvement across enough tasks', () => {
    const d = noise.decide(cand('c', tasks([1, 1, 1, 1, 1])), cand('p', tasks([0, 0, 0, 0, 1])), rng());
    expect(d).toMatchObject({ accepted: true, delta: 0.8 });
    expect(d.pValue).toBeCloseTo(1 / 16);
  });

  it('rejects an improvement that could be noise', () => {
    // better on 2 tasks, worse on 1, of 6
    const d = noise.decide(cand('c', tasks([1, 1, 0, 0, 0, 0])), cand('p', tasks([0, 0, 1, 0, 0, 0])), rng());
    expect(d.accepted).toBe(false);
    expect(d.delta).toBeCloseTo(1 / 6);
    expect(d.pValue).toBeCloseTo(0.5);
    expect(d.reason).toMatch(/p=0.5 >= alpha 0.1/);
  });

  it('uses minDelta when too few tasks for the test', () => {
    const big = noise.decide(cand('c', { t1: [1, 1] }), cand('p', { t1: [0, 1] }), rng());
    expect(big).toMatchObject({ accepted: true, delta: 0.5, pValue: null });
    const small = beatsParentBeyondNoise({ minDelta: 0.6 }).decide(
      cand('c', { t1: [1, 1] }),
      cand('p', { t1: [0, 1] }),
      rng(),
    );
    expect(small.accepted).toBe(false);
    expect(small.reason).toMatch(/too few/);
  });

  it('rejects worse children and gives ties to the simpler harness', () => {
    expect(noise.decide(cand('c', tasks([0, 0, 0, 0])), cand('p', tasks([1, 0, 0, 0])), rng()).accepted).toBe(false);
    const same = tasks([1, 0, 1, 0]);
    expect(noise.decide(cand('c', same, { complexity: 10 }), cand('p', same, { complexity: 20 }), rng())).toMatchObject(
      { accepted: true, delta: 0 },
    );
    expect(noise.decide(cand('c', same, { complexity: 20 }), cand('p', same, { complexity: 20 }), rng()).accepted).toBe(
      false,
    );
    expect(noise.decide(cand('c', { a: [1] }), cand('p', { b: [0] }), rng()).reason).toMatch(/no tasks shared/);
  });

  it('greedy accepts any improvement', () => {
    const d = alwaysAcceptImprovement.decide(
      cand('c', tasks([1, 0, 0, 0, 0, 0])),
      cand('p', tasks([0, 0, 0, 0, 0, 0])),
      rng(),
    );
    expect(d).toMatchObject({ accepted: true, pValue: null });
    expect(alwaysAcceptImprovement.decide(cand('c', tasks([0])), cand('p', tasks([1])), rng()).accepted).toBe(false);
  });
});
