/**
 * What both evaluation loops (evaluate.ts: every trial; policy-evaluate.ts: a policy's trials) share: the
 * caller's controls, and how a failed trial activity is read — a broken candidate, or anything else.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { CANDIDATE_ERRORS } from './error-names';

export interface EvaluationControl {
  /** Scheduling waits while this returns true (pause). */
  paused(): boolean;
  /** Called after every trial settles (progress). */
  onTrialDone(): void;
}

export const trialErrorText = (err: unknown): string => {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
};

/** The candidate's own harness failed to load: the candidate is broken, not the infrastructure. */
export const isCandidateError = (err: unknown): boolean =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && CANDIDATE_ERRORS.includes(err.cause.type ?? '');
