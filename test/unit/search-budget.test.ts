import { chargeProposal, chargeTrial, emptyLedger, remaining, wouldExceed } from '../../src/search/ledger';
import { addCandidates, initialSearchState } from '../../src/search/state';
import type { StopContext } from '../../src/search/stoppers';
import {
  anyStopper,
  lastImprovementGeneration,
  maxDollars,
  maxGenerations,
  maxTokens,
  maxTrials,
  maxWallTime,
  plateau,
  targetScore,
} from '../../src/search/stoppers';
import { cand } from './search-helpers';

const usage = (costUsd: number, tokens: number) => ({
  inputTokens: tokens,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
});

describe('ledger', () => {
  it('charges trials and proposals immutably', () => {
    const l0 = emptyLedger();
    const l1 = chargeProposal(chargeTrial(chargeTrial(l0, usage(0.5, 100)), usage(0.25, 50)), usage(1, 10));
    expect(l0).toEqual(emptyLedger());
    expect(l1).toEqual({ trials: 2, proposals: 1, costUsd: 1.75, tokens: 160 });
    expect(remaining(l1, { usd: 1, trials: 10 })).toEqual({ usd: 0, trials: 8, tokens: null });
  });

  it('projects planned trials against the budget', () => {
    const l = chargeTrial(chargeTrial(emptyLedger(), usage(1, 100)), usage(1, 100)); // $1, 100 tokens per trial
    expect(wouldExceed(l, { trials: 5 }, 3)).toBeNull();
    expect(wouldExceed(l, { trials: 5 }, 4)).toMatch(/trial budget/);
    expect(wouldExceed(l, { usd: 5 }, 3)).toBeNull();
    expect(wouldExceed(l, { usd: 5 }, 4)).toMatch(/dollar budget/);
    expect(wouldExceed(l, { tokens: 300 }, 2)).toMatch(/token budget/);
    expect(wouldExceed(emptyLedger(), { usd: 0.01 }, 100)).toBeNull();
  });
});

describe('stoppers', () => {
  const seed = cand('s', { t1: [0.2] }, { generation: 0 });
  const child = cand('c', { t1: [0.9] }, { generation: 2 });
  const base = (over: Partial<StopContext> = {}): StopContext => ({
    state: {
      ...addCandidates(initialSearchState(0), [
        seed,
        child,
        cand('r', { t1: [1] }, { generation: 4, status: 'rejected' }),
      ]),
      generation: 4,
    },
    ledger: { trials: 10, proposals: 3, costUsd: 2, tokens: 5000 },
    startedAtMs: 1_000_000,
    nowMs: 1_000_000 + 30 * 60_000,
    ...over,
  });

  it('each fires exactly at its limit', () => {
    const ctx = base();
    expect(maxGenerations(4)(ctx)).toMatch(/4 generations/);
    expect(maxGenerations(5)(ctx)).toBeNull();
    expect(maxTrials(10)(ctx)).toMatch(/trial/);
    expect(maxTrials(11)(ctx)).toBeNull();
    expect(maxDollars(2)(ctx)).toMatch(/dollar/);
    expect(maxDollars(2.5)(ctx)).toBeNull();
    expect(maxTokens(5000)(ctx)).toMatch(/token/);
    expect(maxTokens(5001)(ctx)).toBeNull();
    expect(maxWallTime(30)(ctx)).toMatch(/wall time/);
    expect(maxWallTime(31)(ctx)).toBeNull();
    expect(targetScore(0.9)(ctx)).toMatch(/by c/);
    expect(targetScore(0.95)(ctx)).toBeNull(); // the rejected 1.0 does not count
  });

  it('plateau counts generations since the last accepted child', () => {
    expect(lastImprovementGeneration(base().state)).toBe(2);
    expect(plateau(2)(base())).toMatch(/2 generations/);
    expect(plateau(3)(base())).toBeNull();
  });

  it('anyStopper returns the first reason in order', () => {
    expect(anyStopper(maxTrials(100), maxDollars(1), maxTokens(1))(base())).toMatch(/dollar/);
    expect(anyStopper(maxTrials(100), maxGenerations(9))(base())).toBeNull();
    expect(anyStopper()(base())).toBeNull();
  });
});
