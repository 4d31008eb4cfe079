/**
 * What a test needs to know of the racing policy to make its cancellations certain without timing: the
 * order in which a candidate's first round runs, and how many of those trials (arriving in that order)
 * the policy needs before it decides — computed by running the policy itself, so the tests follow it.
 */
import { racingOrder, racingPolicy } from '../../../src/search/evaluation/racing';
import type { EvaluationSpec, ObservedTrial, PlannedTrial } from '../../../src/search/evaluation/policy';
import { policyInputFor } from '../../../src/workflows/policies';
import type { TaskRef } from '../../../src/workflows/types';

export interface RacingCase {
  spec: EvaluationSpec;
  rngSeed: number;
  candidateId: string;
  tasks: TaskRef[];
  repeats: number;
  /** The parent's per-task rewards. */
  parentScores: Record<string, number[]>;
}

const inputOf = (c: RacingCase) =>
  policyInputFor(
    { spec: c.spec, seed: c.rngSeed, parentScores: { [c.candidateId]: c.parentScores } },
    c.candidateId,
    c.tasks,
    c.repeats,
  );

export const firstRoundOrder = (c: RacingCase): string[] => racingOrder(inputOf(c));

/** Trials the policy needs, arriving in schedule order, for a child scoring `score(task)`; null if it never stops. */
export function trialsToDecide(c: RacingCase, score: (task: string) => number): number | null {
  const input = inputOf(c);
  const queue: PlannedTrial[] = racingPolicy.initial(input);
  const observed: ObservedTrial[] = [];
  while (queue.length > 0) {
    const t = queue.shift() as PlannedTrial;
    observed.push({ ...t, score: score(t.task) });
    const step = racingPolicy.next(input, observed, queue);
    if (step.verdict === 'stop') return observed.length;
    queue.push(...step.schedule);
  }
  return null;
}
