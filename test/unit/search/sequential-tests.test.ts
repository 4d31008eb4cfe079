import {
  alternativeRate,
  logLikelihoodRatio,
  meanBounds,
  mixtureBoundary,
  nullRate,
} from '../../../src/search/evaluation';
import { createRng, deriveSeed } from '../../../src/search/rng';
import { bernoulli } from './evaluation-helpers';

describe('normal-mixture confidence sequence (Howard et al. 2021)', () => {
  it('widens with time on the sum and narrows on the mean', () => {
    expect(mixtureBoundary(10, 0.1, 1)).toBeGreaterThan(mixtureBoundary(5, 0.1, 1));
    expect(mixtureBoundary(10, 0.1, 1) / 10).toBeLessThan(mixtureBoundary(5, 0.1, 1) / 5);
    expect(mixtureBoundary(10, 0.05, 1)).toBeGreaterThan(mixtureBoundary(10, 0.1, 1));
  });

  it('covers the true mean at all times at once, with probability ≥ 1 − alpha', () => {
    const alpha = 0.1;
    const runs = 500;
    let missed = 0;
    for (let seed = 0; seed < runs; seed++) {
      const rng = createRng(deriveSeed(seed, 'cs'));
      const p = 0.2 + 0.6 * rng.next();
      const xs: number[] = [];
      for (let n = 0; n < 200; n++) {
        xs.push(bernoulli(p, rng) - 0.5); // a range of width 1, mean p − 0.5
        const b = meanBounds(xs, { range: 1, alphaLower: alpha / 2, alphaUpper: alpha / 2, tuneAtN: 20 });
        if (b.lower > p - 0.5 || b.upper < p - 0.5) {
          missed++;
          break;
        }
      }
    }
    expect(missed / runs).toBeLessThanOrEqual(alpha);
  });
});

describe('Bernoulli SPRT (the early reject)', () => {
  it('shrinks the parent record so 0/2 is not a certain 0 and 2/2 not a certain 1', () => {
    expect(nullRate([0, 0])).toBeCloseTo(1 / 6);
    expect(nullRate([1, 1])).toBeCloseTo(5 / 6);
    expect(alternativeRate(0.9, 0.2)).toBeCloseTo(0.95);
    expect(logLikelihoodRatio(1, { p0: 0.5, p1: 0.7 })).toBeGreaterThan(0);
    expect(logLikelihoodRatio(0, { p0: 0.5, p1: 0.7 })).toBeLessThan(0);
  });

  it('loses a child at the alternative with probability ≤ beta, whenever it is read', () => {
    const beta = 0.2;
    const runs = 500;
    let lost = 0;
    for (let seed = 0; seed < runs; seed++) {
      const rng = createRng(deriveSeed(seed, 'sprt'));
      let sum = 0;
      for (let n = 0; n < 100; n++) {
        const p0 = 0.1 + 0.7 * rng.next();
        const p1 = alternativeRate(p0, 0.2);
        sum += logLikelihoodRatio(bernoulli(p1, rng), { p0, p1 });
        if (sum <= Math.log(beta)) {
          lost++;
          break;
        }
      }
    }
    expect(lost / runs).toBeLessThanOrEqual(beta);
  });
});
