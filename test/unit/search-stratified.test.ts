import { beatsParentBeyondNoise } from '../../src/search/acceptance';
import { createRng } from '../../src/search/rng';
import { labelAssignments, stratifiedPValue, type TaskSamples } from '../../src/search/stratified-test';
import { cand } from './search-helpers';

/** 8 tasks; task t0 goes from parent `from` to child `to`; the 7 others tie (some always pass, some always fail). */
function oneTaskGain(
  from: number[],
  to: number[],
): { child: Record<string, number[]>; parent: Record<string, number[]> } {
  const tied = (i: number): number[] => from.map(() => (i % 2 === 0 ? 1 : 0));
  const child: Record<string, number[]> = { t0: to };
  const parent: Record<string, number[]> = { t0: from };
  for (let i = 1; i < 8; i++) child[`t${i}`] = parent[`t${i}`] = tied(i);
  return { child, parent };
}

/** Bernoulli(q) rewards: `repeats` per task for `n` tasks. */
const bernoulli = (
  n: number,
  repeats: number,
  q: (task: number) => number,
  rng: ReturnType<typeof createRng>,
): Record<string, number[]> =>
  Object.fromEntries(
    Array.from({ length: n }, (_, t) => [`t${t}`, Array.from({ length: repeats }, () => (rng.next() < q(t) ? 1 : 0))]),
  );

describe('stratified permutation test', () => {
  it('gives repeats power: one task from always-fail to always-pass', () => {
    const three = stratifiedPValue([{ child: [1, 1, 1], parent: [0, 0, 0] }], createRng(0));
    expect(three).toBeCloseTo(1 / 20); // C(6,3) = 20 assignments, only the observed one reaches it
    expect(stratifiedPValue([{ child: [1, 1], parent: [0, 0] }], createRng(0))).toBeCloseTo(1 / 6);
  });

  it('reduces to a sign-flip test with one repeat per side', () => {
    const tasks = [1, 1, 1, -1].map((d) => ({ child: [d > 0 ? 1 : 0], parent: [d > 0 ? 0 : 1] }));
    // sign flips of [1,1,1,-1] with sum ≥ 2: as observed, with −1 flipped, or with −1 and one +1 flipped → 5/16
    expect(stratifiedPValue(tasks, createRng(0))).toBeCloseTo(5 / 16);
  });

  it('ignores tasks with no variation and is 1 when nothing varies', () => {
    const constant: TaskSamples = { child: [1, 1], parent: [1, 1] };
    expect(stratifiedPValue([constant, { child: [1, 1, 1], parent: [0, 0, 0] }], createRng(0))).toBeCloseTo(1 / 20);
    expect(stratifiedPValue([constant, { child: [0], parent: [0, 0] }], createRng(0))).toBe(1);
    expect(labelAssignments([constant, { child: [1, 1, 1], parent: [0, 0, 0] }])).toBe(6 * 20);
  });

  it('weighs tasks equally with unequal repeat counts', () => {
    // child 2 repeats, parent 4: C(6,2) = 15 assignments
    expect(stratifiedPValue([{ child: [1, 1], parent: [0, 0, 0, 0] }], createRng(0))).toBeCloseTo(1 / 15);
    // three 1s pooled: any 2 of them as "child" reach the observed sum → C(3,2)/15
    expect(stratifiedPValue([{ child: [1, 1], parent: [0, 0, 0, 1] }], createRng(0))).toBeCloseTo(3 / 15);
  });

  it('Monte Carlo agrees with exact enumeration and is deterministic per seed', () => {
    const tasks: TaskSamples[] = [
      { child: [1, 1, 0], parent: [0, 0, 1] },
      { child: [1, 1, 1], parent: [1, 0, 0] },
      { child: [0.5, 1], parent: [0, 0.25] },
      { child: [1, 0, 1], parent: [0, 0, 1] },
    ];
    expect(labelAssignments(tasks)).toBe(20 * 20 * 6 * 20);
    const exact = stratifiedPValue(tasks, createRng(3), { exactMaxAssignments: 100_000 });
    const mc = stratifiedPValue(tasks, createRng(3), { exactMaxAssignments: 1, permutations: 20_000 });
    expect(Math.abs(mc - exact)).toBeLessThan(0.01);
    expect(exact).toBeGreaterThan(0.005);
    expect(exact).toBeLessThan(0.2);
    const a = createRng(11);
    const b = createRng(11);
    const pa = stratifiedPValue(tasks, a, { exactMaxAssignments: 1 });
    expect(stratifiedPValue(tasks, b, { exactMaxAssignments: 1 })).toBe(pa);
    expect(a.state).toBe(b.state);
    // exact enumeration draws nothing from the rng
    const c = createRng(11);
    stratifiedPValue(tasks, c, { exactMaxAssignments: 100_000 });
    expect(c.state).toBe(createRng(11).state);
  });
});

describe('beats-parent-beyond-noise with the stratified test (default)', () => {
  const noise = beatsParentBeyondNoise({ alpha: 0.1, minDelta: 0.05 });

  it('accepts a real gain on one task of 8 with 3 repeats (p = 1/20)', () => {
    const { child, parent } = oneTaskGain([0, 0, 0], [1, 1, 1]);
    const d = noise.decide(cand('c', child), cand('p', parent), createRng(1));
    expect(d.accepted).toBe(true);
    expect(d.pValue).toBeCloseTo(0.05);
    expect(d.delta).toBeCloseTo(1 / 8);
    expect(d.reason).toMatch(/stratified p=0.05 < alpha 0.1/);
  });

  it('rejects the same gain with 2 repeats (p = 1/6), and the task-means test rejects it at any repeat count', () => {
    const two = oneTaskGain([0, 0], [1, 1]);
    const d = noise.decide(cand('c', two.child), cand('p', two.parent), createRng(1));
    expect(d.accepted).toBe(false);
    expect(d.pValue).toBeCloseTo(1 / 6);
    const three = oneTaskGain([0, 0, 0], [1, 1, 1]);
    const means = beatsParentBeyondNoise({ alpha: 0.1, test: 'task-means' }).decide(
      cand('c', three.child),
      cand('p', three.parent),
      createRng(1),
    );
    expect(means).toMatchObject({ accepted: false, pValue: 0.5 });
  });

  it('falls back to minDelta when the design can never reach alpha', () => {
    // one task, 2 repeats a side: at best p = 1/6 ≥ 0.1
    const d = noise.decide(cand('c', { t: [1, 1] }), cand('p', { t: [0, 0] }), createRng(1));
    expect(d).toMatchObject({ accepted: true, pValue: null, delta: 1 });
    expect(d.reason).toMatch(/too few for a test/);
    // one task, 3 repeats a side: the test applies (1/20 < 0.1)
    expect(noise.decide(cand('c', { t: [1, 1, 1] }), cand('p', { t: [0, 0, 0] }), createRng(1)).pValue).toBeCloseTo(
      0.05,
    );
  });

  it('rarely accepts noise: child and parent from the same distribution', () => {
    const gen = createRng(2024);
    const runs = 200;
    let accepted = 0;
    for (let i = 0; i < runs; i++) {
      const q = (t: number): number => 0.2 + 0.08 * t; // tasks differ in difficulty, sides do not
      const child = cand('c', bernoulli(8, 3, q, gen));
      const parent = cand('p', bernoulli(8, 3, q, gen));
      if (noise.decide(child, parent, createRng(i)).accepted) accepted++;
    }
    // one-sided alpha 0.1 (conservative with ties): false acceptances stay near or below 10 %
    expect(accepted / runs).toBeLessThan(0.12);
  });

  it('has power where the task-means test has none: a moderate gain on every task', () => {
    const gen = createRng(7);
    let strat = 0;
    let means = 0;
    const byMeans = beatsParentBeyondNoise({ alpha: 0.1, test: 'task-means' });
    for (let i = 0; i < 50; i++) {
      const child = cand(
        'c',
        bernoulli(3, 5, () => 0.8, gen),
      );
      const parent = cand(
        'p',
        bernoulli(3, 5, () => 0.3, gen),
      );
      if (noise.decide(child, parent, createRng(i)).accepted) strat++;
      if (byMeans.decide(child, parent, createRng(i)).pValue !== null) means++;
    }
    expect(strat).toBeGreaterThan(40);
    expect(means).toBe(0); // 3 tasks: the sign-flip test never applies at alpha 0.1 (minDelta decides)
  });
});
