/**
 * One simulated campaign: a strategy searches one world until the trial budget is spent, using the real
 * search modules the workflows use (selection, evaluation policies, acceptance, frontier, ledger,
 * stoppers). Each candidate's evaluation is driven as the workflow drives it (drive.ts). The outcome is
 * judged against the world's truth, which the search never sees.
 */
import { emptyLedger, chargeTrial } from '../../src/search/ledger';
import { createRng, deriveSeed } from '../../src/search/rng';
import { collectTaskRewards, meanReward } from '../../src/search/scores';
import { addCandidates, findCandidate, initialSearchState } from '../../src/search/state';
import { anchorFor, carriedRecords, fileChild, finalPick, STONE_RULES } from '../../src/search/stepping-stones';
import { maxTrials } from '../../src/search/stoppers';
import type { CandidateRecord } from '../../src/search/types';
import { zeroUsage } from '../../src/llm/usage';
import { drive } from './drive';
import type { Scenario } from './scenario';
import type { Strategy } from './strategies';
import { sigmoid, trueSuccess, type Truth, type World } from './world';

export interface RunResult {
  /** True holdout success of the final pick (the best accepted candidate or stepping stone by train score, as the campaign picks). */
  finalHoldout: number;
  seedHoldout: number;
  trials: number;
  /** Children whose evaluation finished (accepted or rejected). */
  decided: number;
  accepted: number;
  /** Decided children that truly hurt (true train success below their parent's), and how many of those were accepted. */
  hurt: number;
  acceptedHurt: number;
  /** Accepted children truly below the accepted candidate they were tested against (the parent, or a stone's anchor). */
  acceptedBelowAnchor: number;
  /** Children kept as stepping stones (ours only). */
  stones: number;
  /** The final pick is a stepping stone; and such a pick truly below its parent on train (a shipped change that hurt). */
  pickIsStone: number;
  pickStoneHurt: number;
  /** The final pick's true holdout success is below the seed's: the campaign shipped a worse harness. */
  pickBelowSeed: number;
}

const COMPLEXITY = 100; // every simulated harness is the same size: ties never go to a "simpler" one

export function runCampaign(scenario: Scenario, world: World, strategy: Strategy, seed: number): RunResult {
  const rng = createRng(deriveSeed(seed, strategy.name, 'search'));
  const truths = new Map<string, Truth>([['seed', world.seed]]);
  let ledger = emptyLedger();
  const budgetStop = maxTrials(scenario.budgetTrials);
  const sampleFor = (id: string) => {
    const r = createRng(deriveSeed(seed, strategy.name, 'trials', id));
    const truth = truths.get(id) as Truth;
    return (t: { task: string }): number => (r.next() < sigmoid(truth[t.task] ?? -Infinity) ? 1 : 0);
  };
  const evaluate = (id: string, parentScores: Record<string, number[]>) => {
    const input = {
      tasks: world.train,
      repeats: strategy.repeats,
      parentScores,
      seed: deriveSeed(seed, 'evaluation', id),
      spec: strategy.spec,
    };
    const maxStarts = Math.max(0, scenario.budgetTrials - ledger.trials);
    const res = drive(strategy.policy, input, {
      window: scenario.concurrency,
      sample: sampleFor(id),
      rng: createRng(deriveSeed(seed, strategy.name, 'order', id)),
      maxStarts,
    });
    for (let i = 0; i < res.charged; i++) ledger = chargeTrial(ledger, zeroUsage());
    const taskRewards = collectTaskRewards(
      res.observed.map((t) => ({ task: t.task, repeat: t.repeat, reward: t.score })),
    );
    return { res, taskRewards };
  };
  const record = (
    id: string,
    parentId: string | null,
    generation: number,
    taskRewards: Record<string, number[]>,
    status: CandidateRecord['status'],
    verdict: string,
  ): CandidateRecord => ({
    id,
    parentId,
    generation,
    status,
    verdict,
    rationale: '',
    taskRewards,
    meanReward: meanReward(taskRewards),
    costUsd: 0,
    complexity: COMPLEXITY,
  });

  const seedEval = evaluate('seed', {});
  let state = addCandidates(initialSearchState(seed), [
    record('seed', null, 0, seedEval.taskRewards, 'evaluated', 'seed'),
  ]);
  const out = { decided: 0, accepted: 0, hurt: 0, acceptedHurt: 0, acceptedBelowAnchor: 0, stones: 0 };
  let proposals = 0;
  for (let generation = 1; budgetStop({ state, ledger, startedAtMs: 0, nowMs: 0 }) === null; generation++) {
    const records: CandidateRecord[] = [];
    for (const parentId of strategy.selector.select(state, rng, scenario.proposalsPerGeneration)) {
      if (ledger.trials >= scenario.budgetTrials) break;
      const parent = findCandidate(state, parentId) as CandidateRecord;
      const id = `c${++proposals}`;
      truths.set(id, world.propose(truths.get(parentId) as Truth, proposals).truth);
      const { res, taskRewards } = evaluate(id, parent.taskRewards);
      if (res.outcome === 'budget') break; // the budget ran out mid-evaluation: undecided, not a result
      const child = record(id, parentId, generation, taskRewards, 'rejected', res.step.reason);
      // Filed as the campaign files it (src/workflows/campaign-state.ts): the policy's early decision, else the acceptance rule.
      const early =
        res.step.decided === null ? null : { accepted: res.step.decided === 'accept', reason: res.step.reason };
      const anchor = anchorFor(state, parentId) as CandidateRecord;
      const filing = fileChild(state, child, parentId, early, strategy.acceptance, rng, { stones: strategy.stones });
      const accepted = filing.status === 'evaluated';
      const below = (ref: string): boolean =>
        trueSuccess(truths.get(id) as Truth, world.train) < trueSuccess(truths.get(ref) as Truth, world.train) - 1e-12;
      const hurt = below(parentId);
      out.decided++;
      if (accepted) out.accepted++;
      if (hurt) out.hurt++;
      if (hurt && accepted) out.acceptedHurt++;
      if (accepted && below(anchor.id)) out.acceptedBelowAnchor++;
      if (filing.anchorId !== undefined) out.stones++;
      records.push({
        ...child,
        status: filing.status,
        verdict: filing.reason,
        ...(filing.anchorId !== undefined ? { anchorId: filing.anchorId } : {}),
      });
    }
    // What the campaign carries: accepted records and the best stepping stones (others are only logged).
    const next = addCandidates(state, records);
    state = { ...next, candidates: carriedRecords(next.candidates, next), generation };
  }
  // What the campaign ships (src/workflows/campaign-state.ts pickOf); the peers have no stones, so theirs is the best accepted.
  const pick = finalPick(state, STONE_RULES) as CandidateRecord;
  const stonePick = pick.status === 'rejected';
  const trueTrain = (id: string): number => trueSuccess(truths.get(id) as Truth, world.train);
  return {
    ...out,
    pickIsStone: stonePick ? 1 : 0,
    pickStoneHurt: stonePick && trueTrain(pick.id) < trueTrain(pick.parentId as string) - 1e-12 ? 1 : 0,
    pickBelowSeed:
      trueSuccess(truths.get(pick.id) as Truth, world.holdout) < trueSuccess(world.seed, world.holdout) - 1e-12 ? 1 : 0,
    finalHoldout: trueSuccess(truths.get(pick.id) as Truth, world.holdout),
    seedHoldout: trueSuccess(world.seed, world.holdout),
    trials: ledger.trials,
  };
}
