/**
 * The search strategies the simulator compares, each built from the real search modules (src/search):
 * what a strategy is, is which selector, repeats, evaluation policy and acceptance rule it combines.
 */
import { alwaysAcceptImprovement, beatsParentBeyondNoise, type AcceptanceCriterion } from '../../src/search/acceptance';
import {
  EvaluationSpecSchema,
  policyFor,
  type EvaluationPolicy,
  type EvaluationSpec,
} from '../../src/search/evaluation';
import type { Rng } from '../../src/search/rng';
import { paretoSelector, bestSelector, selectorFor, type ParentSelector } from '../../src/search/selection';
import type { Scenario } from './scenario';

export interface Strategy {
  name: StrategyName;
  /** Repeats per task of a full evaluation. */
  repeats: number;
  selector: ParentSelector;
  policy: EvaluationPolicy;
  spec: EvaluationSpec;
  /** When the policy stops undecided: does the child join the frontier? (src/search/stepping-stones.ts fileChild applies it.) */
  acceptance: AcceptanceCriterion;
  /** Keep near-or-better rejected children as stepping stones, which may ship (ours, as the campaign does); the peers never do. */
  stones: boolean;
}

export const STRATEGY_NAMES = ['keep-discard', 'gepa', 'ours-full', 'ours-minibatch', 'ours-racing'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Monte Carlo draws of the paired test in the simulator (the campaign's default is 2,000: same test, coarser p). */
const PERMUTATIONS = 500;

export function buildStrategy(name: StrategyName, scenario: Scenario): Strategy {
  const spec = (policy: EvaluationSpec['policy']): EvaluationSpec =>
    EvaluationSpecSchema.parse({ ...scenario.evaluation, policy });
  switch (name) {
    case 'keep-discard':
      // AutoAgent: one run per task; keep the change when its pass count beats the current harness's.
      return {
        name,
        repeats: 1,
        selector: bestSelector,
        policy: policyFor('full'),
        spec: spec('full'),
        acceptance: greedy,
        stones: false,
      };
    case 'gepa':
      // GEPA: Pareto parent sampling; a child screened on a minibatch, then scored once per task, joins the pool.
      return {
        name,
        repeats: 1,
        selector: paretoSelector,
        policy: policyFor('minibatch'),
        spec: spec('minibatch'),
        acceptance: joinsPool,
        stones: false,
      };
    default: {
      const test = beatsParentBeyondNoise({
        alpha: scenario.alpha,
        minDelta: scenario.minDelta,
        test: 'stratified',
        permutations: PERMUTATIONS,
      });
      const policy = name === 'ours-full' ? 'full' : name === 'ours-minibatch' ? 'minibatch' : 'racing';
      return {
        name,
        repeats: scenario.repeats,
        selector: selectorFor(scenario.selection),
        policy: policyFor(policy),
        spec: spec(policy),
        acceptance: test,
        stones: true,
      };
    }
  }
}

/** AutoAgent's rule: its pass count beats the parent's (greedy draws no random numbers). */
const greedy: AcceptanceCriterion = {
  name: 'keep-discard',
  decide: (c, p) => alwaysAcceptImprovement.decide(c, p, noRng),
};

/** GEPA: a child that passed the screen joins the pool. */
const joinsPool: AcceptanceCriterion = {
  name: 'joins-pool',
  decide: () => ({ accepted: true, reason: 'passed the screen', delta: 0, pValue: null }),
};

const noRng: Rng = {
  next: () => {
    throw new Error('greedy acceptance draws no random numbers');
  },
  int: () => {
    throw new Error('greedy acceptance draws no random numbers');
  },
  state: 0,
};
