/**
 * The cost-aware objective (src/search/objective.ts): `objective: score` ranks, builds the frontier and picks
 * exactly as before; `{ score: 1, costUsd: -λ }` weighs USD per task in the ranking, the frontier (cheapness
 * as one more Pareto dimension) and the final pick, while the target-score stopper still reads the score.
 * The campaign.yaml field is validated like the rest (errors name the field), and reaches the plan only
 * when it changes something.
 */
import { parseCampaignConfig } from '../../src/campaign/config';
import { CampaignConfigError } from '../../src/campaign/errors';
import { paretoFrontier } from '../../src/search/frontier';
import { describeObjective, isCostAware, utility, SCORE_OBJECTIVE } from '../../src/search/objective';
import { rankCandidates } from '../../src/search/scores';
import { bestSelector } from '../../src/search/selection';
import { addCandidates, bestCandidate, holdoutCandidates, initialSearchState } from '../../src/search/state';
import { targetScore } from '../../src/search/stoppers';
import { createRng } from '../../src/search/rng';
import { cand } from './search-helpers';

// An expensive harness solving 2 of 3 tasks and a cheap one solving 1: $0.50 vs $0.02 per task.
const pricey = cand('h-pricey', { a: [1], b: [1], c: [0] }, { costPerTask: 0.5, generation: 1 });
const cheap = cand('h-cheap', { a: [1], b: [0], c: [0] }, { costPerTask: 0.02 });
// Same scores as cheap, but dearer: dominated under a cost objective only by cost.
const twin = cand('h-twin', { a: [1], b: [0], c: [0] }, { costPerTask: 0.1, generation: 2, complexity: 90 });

describe('objective', () => {
  it('score (and costUsd 0) is the plain mean reward; a cost weight subtracts λ·USD per task', () => {
    expect(isCostAware(undefined)).toBe(false);
    expect(isCostAware(SCORE_OBJECTIVE)).toBe(false);
    expect(utility(pricey, SCORE_OBJECTIVE)).toBe(pricey.meanReward);
    expect(utility(pricey, { score: 1, costUsd: -1 })).toBeCloseTo(2 / 3 - 0.5);
    expect(utility(cheap, { score: 2, costUsd: -1 })).toBeCloseTo(2 / 3 - 0.02);
    expect(describeObjective({ score: 1, costUsd: -2 })).toBe('1·score − 2·USD/task');
    expect(describeObjective(undefined)).toBe('score');
  });

  it('by default the order, frontier and pick are the ones score alone gives', () => {
    expect(rankCandidates([cheap, twin, pricey]).map((c) => c.id)).toEqual(['h-pricey', 'h-twin', 'h-cheap']);
    expect(rankCandidates([cheap, twin, pricey], SCORE_OBJECTIVE).map((c) => c.id)).toEqual([
      'h-pricey',
      'h-twin',
      'h-cheap',
    ]);
    // twin and cheap have identical scores: only the simpler (twin, complexity 90) stays; pricey dominates both anyway.
    expect(paretoFrontier([cheap, twin, pricey])).toEqual(['h-pricey']);
    const s = addCandidates(initialSearchState(1), [cheap, twin, pricey]);
    expect(s.objective).toBeUndefined();
    expect(bestCandidate(s)?.id).toBe('h-pricey');
  });

  it('with costUsd: -λ the cheaper harness can win the pick, and cheapness keeps it on the frontier', () => {
    const objective = { score: 1, costUsd: -1 };
    // utilities: pricey 0.667 − 0.5 = 0.167; cheap 0.333 − 0.02 = 0.313; twin 0.333 − 0.1 = 0.233.
    expect(rankCandidates([cheap, twin, pricey], objective).map((c) => c.id)).toEqual([
      'h-cheap',
      'h-twin',
      'h-pricey',
    ]);
    // cheap is not dominated (cheapest); pricey is not (best score); twin is (same scores as cheap, dearer).
    expect(paretoFrontier([cheap, twin, pricey], objective)).toEqual(['h-cheap', 'h-pricey']);
    const s = addCandidates(initialSearchState(1, objective), [cheap, twin, pricey]);
    expect(s.objective).toEqual(objective);
    expect(s.frontierIds).toEqual(['h-cheap', 'h-pricey']);
    expect(bestCandidate(s)?.id).toBe('h-cheap');
    expect(holdoutCandidates(s, 2)).toEqual(['h-cheap', 'h-twin']);
    expect(bestSelector.select(s, createRng(1), 2)).toEqual(['h-cheap', 'h-cheap']);
    // A small λ leaves the better score in front.
    expect(bestCandidate(addCandidates(initialSearchState(1, { score: 1, costUsd: -0.1 }), [cheap, pricey]))?.id).toBe(
      'h-pricey',
    );
  });

  it('the target-score stopper reads the best score, not the cost-weighted pick', () => {
    const s = addCandidates(initialSearchState(1, { score: 1, costUsd: -1 }), [cheap, pricey]);
    const stop = targetScore(0.6)({
      state: s,
      ledger: { trials: 0, proposals: 0, costUsd: 0, tokens: 0 },
      startedAtMs: 0,
      nowMs: 0,
    });
    expect(stop).toMatch(/target score 0.6 reached by h-pricey/);
  });
});

describe('campaign.yaml objective', () => {
  const minimal = {
    name: 'demo-1',
    benchmark: 'bench',
    train: ['a'],
    seedHarness: 'seed',
    program: 'program.md',
    taskModel: 'claude-x',
  };
  const problems = (raw: unknown): string[] => {
    try {
      parseCampaignConfig(raw, 'campaign.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(CampaignConfigError);
      return (err as CampaignConfigError).problems.map((p) => `${p.field}: ${p.message}`);
    }
    throw new Error('expected a CampaignConfigError');
  };

  it('defaults to score; accepts "score" and { score, costUsd }', () => {
    expect(parseCampaignConfig(minimal, 'c.yaml').objective).toEqual({ score: 1, costUsd: 0 });
    expect(parseCampaignConfig({ ...minimal, objective: 'score' }, 'c.yaml').objective).toEqual({
      score: 1,
      costUsd: 0,
    });
    expect(parseCampaignConfig({ ...minimal, objective: { score: 1, costUsd: -2.5 } }, 'c.yaml').objective).toEqual({
      score: 1,
      costUsd: -2.5,
    });
    expect(parseCampaignConfig({ ...minimal, objective: { costUsd: -1 } }, 'c.yaml').objective).toEqual({
      score: 1,
      costUsd: -1,
    });
    expect(parseCampaignConfig(minimal, 'c.yaml').merge).toBeNull();
    expect(parseCampaignConfig({ ...minimal, merge: { every: 2 } }, 'c.yaml').merge).toEqual({ every: 2 });
  });

  it('names the field of a bad objective or merge', () => {
    expect(problems({ ...minimal, objective: 'cost' })).toEqual([
      'objective: expected "score" or { score: 1, costUsd: -λ }',
    ]);
    expect(problems({ ...minimal, objective: { score: 1, costUsd: 0.5 } })).toEqual([
      'objective.costUsd: expected a number <= 0 (a cost is a penalty, e.g. -2)',
    ]);
    expect(problems({ ...minimal, objective: { score: 1 } })).toEqual(['objective.costUsd: required']);
    expect(problems({ ...minimal, objective: { score: 0, costUsd: -1 } })).toEqual([
      'objective.score: expected a positive number',
    ]);
    expect(problems({ ...minimal, objective: { score: 1, costUsd: -1, tokens: -1 } })).toEqual([
      'objective.tokens: unknown field',
    ]);
    expect(problems({ ...minimal, merge: { every: 0 } })).toEqual(['merge.every: expected a positive integer']);
    expect(problems({ ...minimal, merge: { every: 2, when: 'always' } })).toEqual(['merge.when: unknown field']);
  });
});
