/**
 * EvaluationWorkflow: a child that evaluates fixed candidates (the seed at generation 0, the best ones on
 * holdout at the end). A child of its own so its trials' events live in its history, not the campaign's.
 */
import { setHandler } from '@temporalio/workflow';
import { pauseSignal, progressQuery, resumeSignal } from './definitions';
import { evaluateCandidates, plannedTrials } from './evaluate';
import type { EvaluationInput, EvaluationResult } from './types';

export async function EvaluationWorkflow(input: EvaluationInput & { paused?: boolean }): Promise<EvaluationResult> {
  let paused = input.paused ?? false;
  let trialsDone = 0;
  let done = false;
  setHandler(pauseSignal, () => void (paused = true));
  setHandler(resumeSignal, () => void (paused = false));
  setHandler(progressQuery, () => ({
    phase: done ? 'done' : 'evaluating',
    proposalsDone: 0,
    proposalsTotal: 0,
    trialsDone,
    trialsTotal: plannedTrials(input),
    paused,
  }));
  const result = await evaluateCandidates(input, { paused: () => paused, onTrialDone: () => void trialsDone++ });
  done = true;
  return result;
}
