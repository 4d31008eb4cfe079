import { drive } from '../../../benchmarks/search-sim/drive';
import { beatsParentBeyondNoise } from '../../../src/search/acceptance';
import {
  fullPolicy,
  policyFor,
  racingOrder,
  racingPolicy,
  type PlannedTrial,
  type PolicyInput,
} from '../../../src/search/evaluation';
import { createRng, deriveSeed } from '../../../src/search/rng';
import { collectTaskRewards } from '../../../src/search/scores';
import { cand } from '../search-helpers';
import { bernoulli, policyInput, taskNames, world } from './evaluation-helpers';

/** The campaign's acceptance rule, for evaluations a policy leaves undecided. */
const rule = (alpha: number) =>
  beatsParentBeyondNoise({ alpha, minDelta: 0.05, test: 'stratified', permutations: 500 });

/**
 * Evaluates a child whose true per-task success is `childP(task)` against a parent record with `policy`
 * (racing by default), as the campaign does: the policy's own decision, else the acceptance rule's.
 */
function race(
  input: PolicyInput,
  childP: (task: string) => number,
  seed: number,
  opts: { window?: number; alpha?: number; policy?: 'full' | 'racing' } = {},
) {
  const rng = createRng(deriveSeed(seed, 'trials'));
  const policy = policyFor(opts.policy ?? 'racing');
  const result = drive(policy, input, {
    window: opts.window ?? 3,
    rng: createRng(deriveSeed(seed, 'order')),
    sample: (t: PlannedTrial) => bernoulli(childP(t.task), rng),
  });
  if (result.outcome !== 'stopped') throw new Error('budget is unlimited here');
  let decided = result.step.decided;
  if (decided === null) {
    const child = cand(
      'child',
      collectTaskRewards(result.observed.map((t) => ({ task: t.task, repeat: t.repeat, reward: t.score }))),
    );
    decided = rule(opts.alpha ?? 0.1).decide(child, cand('parent', input.parentScores), createRng(seed)).accepted
      ? 'accept'
      : 'reject';
  }
  return { decided, early: result.step.decided !== null, reason: result.step.reason, charged: result.charged };
}

const RUNS = 400;

describe('racing evaluation policy', () => {
  it('starts with every task once, in a seeded order', () => {
    const input = policyInput({ tasks: taskNames(5), repeats: 2, spec: { policy: 'racing' } });
    const plan = racingPolicy.initial(input);
    const order = racingOrder(input);
    expect(plan).toEqual(order.map((task) => ({ task, repeat: 0 })));
    expect([...order].sort()).toEqual(input.tasks);
    expect(racingPolicy.initial(input)).toEqual(plan); // deterministic
    const orders = new Set([1, 2, 3, 4, 5].map((seed) => racingOrder({ ...input, seed }).join()));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('runs later rounds only on contested tasks', () => {
    // Parent always passes a and b, passes c half the time: after round 0 with the child passing
    // everywhere, only c is in doubt.
    const input = policyInput({
      tasks: ['a', 'b', 'c'],
      repeats: 2,
      parentScores: { a: [1, 1], b: [1, 1], c: [1, 0] },
      spec: { policy: 'racing' },
    });
    const observed = racingPolicy.initial(input).map((t) => ({ ...t, score: 1 }));
    expect(racingPolicy.next(input, observed, [])).toEqual({
      verdict: 'continue',
      schedule: [{ task: 'c', repeat: 1 }],
    });
  });

  it('leaves a child identical to its parent record to the acceptance rule', () => {
    const input = policyInput({
      tasks: ['a', 'b'],
      repeats: 2,
      parentScores: { a: [1, 1], b: [0, 0] },
      spec: { policy: 'racing' },
    });
    const observed = [
      { task: 'a', repeat: 0, score: 1 },
      { task: 'b', repeat: 0, score: 0 },
    ];
    expect(racingPolicy.next(input, observed, [])).toMatchObject({ verdict: 'stop', decided: null });
  });

  it('runs the full schedule, undecided, when there is no parent to race (the seed)', () => {
    const input = policyInput({ tasks: taskNames(3), parentScores: {}, spec: { policy: 'racing' } });
    expect(racingPolicy.initial(input)).toEqual(fullPolicy.initial(input));
    const observed = fullPolicy.initial(input).map((t) => ({ ...t, score: 1 }));
    expect(racingPolicy.next(input, observed, [])).toMatchObject({ verdict: 'stop', decided: null });
  });

  it('does not depend on the order of the observed array', () => {
    const input = policyInput({ tasks: taskNames(6), spec: { policy: 'racing' } });
    const plan = racingPolicy.initial(input);
    const observed = plan.slice(0, 7).map((t, i) => ({ ...t, score: i % 2 }));
    const step = racingPolicy.next(input, observed, plan.slice(7));
    expect(racingPolicy.next(input, [...observed].reverse(), plan.slice(7))).toEqual(step);
  });

  it('accepts a clearly better child early, before the full schedule is spent', () => {
    const tasks = taskNames(10);
    const input = policyInput({
      tasks,
      repeats: 2,
      parentScores: Object.fromEntries(tasks.map((t) => [t, [0, 0]])),
      spec: { policy: 'racing' },
    });
    const r = race(input, () => 0.95, 7);
    expect(r).toMatchObject({ decided: 'accept', early: true });
    expect(r.charged).toBeLessThan(tasks.length * 2);
    expect(r.reason).toMatch(/better than parent/);
  });

  it('rejects a clearly worse child early and cancels the rest', () => {
    const tasks = taskNames(10);
    const input = policyInput({
      tasks,
      repeats: 2,
      parentScores: Object.fromEntries(tasks.map((t) => [t, [1, 1]])),
      spec: { policy: 'racing' },
    });
    const r = race(input, () => 0.05, 8);
    expect(r).toMatchObject({ decided: 'reject', early: true });
    expect(r.charged).toBeLessThan(tasks.length);
  });

  it('hands a child still in doubt at the end of its schedule to the acceptance rule', () => {
    const tasks = taskNames(4);
    const input = policyInput({
      tasks,
      repeats: 2,
      parentScores: Object.fromEntries(tasks.map((t) => [t, [1, 0]])),
      spec: { policy: 'racing', racing: { maxExtraRepeats: 0 } },
    });
    const plan = racingPolicy.initial(input);
    const round0 = plan.map((t, i) => ({ ...t, score: i % 2 }));
    const step = racingPolicy.next(input, round0, []);
    expect(step).toEqual({ verdict: 'continue', schedule: racingOrder(input).map((task) => ({ task, repeat: 1 })) });
    const round1 = racingOrder(input).map((task, i) => ({ task, repeat: 1, score: (i + 1) % 2 }));
    expect(racingPolicy.next(input, [...round0, ...round1], [])).toMatchObject({ verdict: 'stop', decided: null });
  });

  it('with maxExtraRepeats gives contested tasks extra repeats past `repeats`, never more than the cap', () => {
    const tasks = taskNames(4);
    // Parent passes half the runs everywhere; the child mostly passes: ahead, but not proven after 8 trials.
    const input = policyInput({
      tasks,
      repeats: 2,
      parentScores: Object.fromEntries(tasks.map((t) => [t, [1, 0]])),
      spec: { policy: 'racing', racing: { maxExtraRepeats: 3 } },
    });
    let sawExtras = false;
    for (let seed = 0; seed < 50; seed++) {
      const rng = createRng(deriveSeed(seed, 'trials'));
      const res = drive(racingPolicy, input, {
        window: 2,
        rng: createRng(seed),
        sample: (t) => bernoulli(t.task === 't00' ? 0.5 : 0.8, rng),
      });
      if (res.outcome === 'stopped') expect(res.step.decided).not.toBeNull(); // past `repeats`, the policy decides itself
      const perTask = new Map<string, number>();
      for (const t of res.observed) perTask.set(t.task, Math.max(perTask.get(t.task) ?? 0, t.repeat + 1));
      for (const n of perTask.values()) expect(n).toBeLessThanOrEqual(2 + 3);
      if ([...perTask.values()].some((n) => n > 2)) sawExtras = true;
    }
    expect(sawExtras).toBe(true);
  });

  /** Designs for the error-control checks: task count, parent repeats, range of true success rates. */
  const DESIGNS = [
    { tasks: 10, repeats: 2, min: 0.1, max: 0.9 },
    { tasks: 12, repeats: 1, min: 0.1, max: 0.9 },
    { tasks: 12, repeats: 3, min: 0.1, max: 0.9 },
    { tasks: 12, repeats: 2, min: 0.7, max: 1 },
  ];
  const slack = (alpha: number, runs: number): number => alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs); // 3 binomial standard errors

  it.each(DESIGNS)(
    'with the default settings, the false-accept rate under the null (child = parent in truth) stays within alpha: %j',
    (design) => {
      for (const alpha of [0.05, 0.1]) {
        let accepts = 0;
        for (let seed = 0; seed < RUNS; seed++) {
          const w = world(seed, design);
          const input = policyInput({
            tasks: w.tasks,
            repeats: design.repeats,
            parentScores: w.parentScores,
            seed,
            spec: { policy: 'racing', racing: { alpha } },
          });
          if (race(input, (t) => w.p[t] as number, seed, { alpha }).decided === 'accept') accepts++;
        }
        expect(accepts / RUNS).toBeLessThanOrEqual(slack(alpha, RUNS));
      }
    },
  );

  it('early accepts hold alpha under the conditional null (child exactly at its parent record)', () => {
    let early = 0;
    for (let seed = 0; seed < RUNS; seed++) {
      const w = world(seed, { tasks: 8, repeats: 3 });
      const recorded = (t: string) => (w.parentScores[t] ?? []).reduce((a, b) => a + b, 0) / 3;
      const input = policyInput({
        tasks: w.tasks,
        repeats: 3,
        parentScores: w.parentScores,
        seed,
        spec: { policy: 'racing', racing: { maxExtraRepeats: 6 } },
      });
      const r = race(input, recorded, seed);
      if (r.decided === 'accept' && r.early) early++;
    }
    expect(early / RUNS).toBeLessThanOrEqual(slack(0.1, RUNS));
  });

  it('keeps the power of full and spends clearly fewer trials', () => {
    const n = 200;
    const tally = { racing: { accepts: 0, trials: 0 }, full: { accepts: 0, trials: 0 } };
    for (let seed = 0; seed < n; seed++) {
      const w = world(seed, { tasks: 12, repeats: 2, min: 0.2, max: 0.7 });
      for (const policy of ['racing', 'full'] as const) {
        const input = policyInput({ tasks: w.tasks, repeats: 2, parentScores: w.parentScores, seed, spec: { policy } });
        const better = race(input, (t) => Math.min(1, (w.p[t] as number) + 0.25), seed, { policy });
        const worse = race(input, (t) => Math.max(0, (w.p[t] as number) - 0.2), seed + 1000, { policy });
        if (better.decided === 'accept') tally[policy].accepts++;
        tally[policy].trials += better.charged + worse.charged;
      }
    }
    expect(tally.racing.accepts).toBeGreaterThanOrEqual(0.85 * tally.full.accepts);
    expect(tally.racing.trials).toBeLessThan(0.8 * tally.full.trials);
  });
});
