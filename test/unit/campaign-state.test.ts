/**
 * The campaign workflow's pure transitions (src/workflows/campaign-state.ts): what is charged, when the
 * campaign stops and why, the trial estimate, and the status a query returns. Generation records and stepping
 * stones are covered in search-stepping-stones.test.ts.
 */
import type { Usage } from '../../src/llm/usage';
import { addCandidates } from '../../src/search/state';
import type { CandidateRecord } from '../../src/search/types';
import { charge, estimateTotalTrials, initialCarry, plannedGenerationTrials, statusOf, stopReason } from '../../src/workflows/campaign-state';
import type { CampaignCarry, CampaignPlan, TrialOutcome } from '../../src/workflows/types';

const usage = (costUsd: number, tokens = 10): Usage => ({ inputTokens: tokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd });
const task = (name: string) => ({ name, hash: `h-${name}` });

function carry(plan: Partial<CampaignPlan> = {}): CampaignCarry {
  return initialCarry({
    plan: {
      name: 'demo', campaignDir: '/c', seedHarness: '/s', train: [task('a'), task('b')], holdout: [task('h')], repeats: 2,
      holdoutRepeats: 3, proposalsPerGeneration: 2, concurrency: 4, seed: 1, selection: 'best', acceptance: { mode: 'greedy' }, budget: {}, hints: [],
      ...plan,
    } as CampaignPlan,
    seed: { id: 'seed', dir: '/c/harnesses/seed', complexity: 1 }, searchAttributes: [],
  }, 1_000);
}

const outcome = (t: string, repeat: number, cached: boolean, costUsd: number): TrialOutcome => ({
  trialId: `${t}-${repeat}`, task: t, repeat, reward: 1, error: null, usage: usage(costUsd), cached,
});

const record = (id: string, generation: number, meanReward: number): CandidateRecord => ({
  id, parentId: generation === 0 ? null : 'seed', generation, status: 'evaluated', verdict: '', rationale: '', taskRewards: { a: [meanReward] },
  meanReward, costUsd: 0, complexity: 1,
});

test('charge: proposals and the trials that ran are paid for; a cached trial is counted, never charged again', () => {
  const c = charge(carry(), {
    proposals: [{ slot: 0, parentId: 'seed', status: 'valid', candidate: { id: 'x', dir: '/c/harnesses/x', complexity: 1 }, rationale: '', usage: usage(0.5) }],
    evaluations: [{ candidateId: 'x', error: null, trials: [outcome('a', 0, false, 0.25), outcome('b', 0, true, 9)] }],
  });
  expect(c.ledger).toEqual({ trials: 1, proposals: 1, costUsd: 0.75, tokens: 20 });
  expect(c.cachedTrials).toBe(1);
});

test('stopReason: a request first, then the configured limits and goals, then a budget the next generation would break', () => {
  expect(stopReason(carry(), 1_000)).toBeNull();
  expect(stopReason({ ...carry(), stopRequested: true, stopReason: 'user said so' }, 1_000)).toBe('user said so');
  expect(stopReason({ ...carry(), stopRequested: true }, 1_000)).toBe('stopped by request');

  // maxGenerations counts generations beyond the seed: after generation 3 of 3 it stops, not before.
  const three = carry({ generations: 3 });
  expect(stopReason({ ...three, search: { ...three.search, generation: 2 } }, 1_000)).toBeNull();
  expect(stopReason({ ...three, search: { ...three.search, generation: 3 } }, 1_000)).toBe('reached 3 generations');

  const timed = carry({ budget: { wallTimeMinutes: 1 } });
  expect(stopReason(timed, 1_000 + 59_999)).toBeNull();
  expect(stopReason(timed, 1_000 + 60_000)).toBe('wall time of 1 min reached');

  const target = carry({ targetScore: 0.9 });
  const reached = { ...target, search: addCandidates(target.search, [record('seed', 0, 0.5), record('c1', 1, 0.95)]) };
  expect(stopReason(reached, 1_000)).toBe('target score 0.9 reached by c1 (0.95)');

  const flat = carry({ plateauGenerations: 2 });
  const stuck = { ...flat, search: { ...addCandidates(flat.search, [record('seed', 0, 0.5), record('c1', 1, 0.6)]), generation: 3 } };
  expect(stopReason(stuck, 1_000)).toBe('plateau: no accepted improvement in 2 generations');

  // 10 trials spent of 20; a generation plans k 2 x 2 tasks x 2 repeats = 8 more: fine; with 13 spent it is not.
  const budget = carry({ budget: { trials: 20 } });
  expect(plannedGenerationTrials(budget)).toBe(8);
  expect(stopReason({ ...budget, ledger: { ...budget.ledger, trials: 10 } }, 1_000)).toBeNull();
  expect(stopReason({ ...budget, ledger: { ...budget.ledger, trials: 13 } }, 1_000)).toBe('next generation would exceed the trial budget: 13 + 8 planned > 20');
  expect(stopReason({ ...budget, ledger: { ...budget.ledger, trials: 20 } }, 1_000)).toBe('trial budget spent (20/20)');

  // Dollars are projected from the cost per trial so far: $1 for 4 trials, 8 more planned = $3 > $2.
  const usd = carry({ budget: { usd: 2 } });
  expect(stopReason({ ...usd, ledger: { trials: 4, proposals: 0, costUsd: 1, tokens: 0 } }, 1_000)).toBe('next generation would exceed the dollar budget: projected $3.00 > $2');
});

test('racing plans for its extra repeats; the total estimate covers baseline, generations and both holdout runs', () => {
  const racing = carry({ evaluation: { policy: 'racing', racing: { maxExtraRepeats: 1 } } as CampaignPlan['evaluation'] });
  expect(plannedGenerationTrials(racing)).toBe(2 * 2 * 3);
  expect(estimateTotalTrials(carry())).toBeNull(); // no generation limit, no trial budget: unknown
  expect(estimateTotalTrials(carry({ budget: { trials: 50 } }))).toBe(50);
  // baseline 2 x 2 + 3 generations x 8 + holdout (best and seed) 2 x 1 x 3
  expect(estimateTotalTrials(carry({ generations: 3 }))).toBe(4 + 24 + 6);
});

test('statusOf: the best candidate, its holdout score, spend and counts as a query shows them', () => {
  const c = carry({ generations: 1 });
  const withBest = { ...c, search: addCandidates(c.search, [record('seed', 0, 0.5), record('c1', 1, 0.75)]), rejectedCount: 2, invalidCount: 1, paused: true, pauseReason: 'no credentials' };
  const s = statusOf(withBest, { phase: 'generation', waiting: null, holdout: [{ candidateId: 'c1', holdoutScore: 0.6 } as never], currentChild: 'c2' });
  expect(s).toMatchObject({
    name: 'demo', bestCandidateId: 'c1', bestTrainScore: 0.75, bestHoldoutScore: 0.6, paused: true, pauseReason: 'no credentials',
    candidates: { evaluated: 2, rejected: 2, invalid: 1 }, currentChild: 'c2', trialsTotal: 4 + 8 + 6, flagged: [],
  });
  expect(statusOf(carry(), { phase: 'baseline', waiting: null, holdout: [], currentChild: null })).toMatchObject({
    bestCandidateId: null, bestTrainScore: null, bestHoldoutScore: null, pauseReason: null,
  });
});
