/**
 * What both evaluation loops (evaluate.ts: every trial; policy-evaluate.ts: a policy's trials) share: the
 * caller's controls, and how a failed trial activity is read — a broken candidate, or anything else.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { CANDIDATE_ERRORS } from './error-names';
import { errorText } from '../util/error-text';

export interface EvaluationControl {
  /** Scheduling waits while this returns true (pause). */
  paused(): boolean;
  /** Called after every trial settles (progress). */
  onTrialDone(): void;
}

/** The text of an activity's failure: its cause's message (the ActivityFailure wrapper says nothing). */
export const trialErrorText = (err: unknown): string => errorText(err instanceof ActivityFailure ? err.cause : err);

/** The candidate's own harness failed to load: the candidate is broken, not the infrastructure. */
export const isCandidateError = (err: unknown): boolean =>
  err instanceof ActivityFailure &&
  err.cause instanceof ApplicationFailure &&
  CANDIDATE_ERRORS.includes(err.cause.type ?? '');
