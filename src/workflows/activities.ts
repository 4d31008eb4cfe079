/**
 * Activity proxies, one group per timeout profile (samples-typescript style), built per call from the
 * plan's runtime knobs. Activities are imported as types only: workflow code never loads their modules.
 */
import { ActivityCancellationType, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities, RuntimePlan } from './types';
import { NON_RETRYABLE_ERRORS, CANDIDATE_ERRORS } from './error-names';

export const QUEUES = { workflows: 'autoagent', trials: 'autoagent-trials', meta: 'autoagent-meta' } as const;

export { CANDIDATE_ERRORS };
const NON_RETRYABLE = [...NON_RETRYABLE_ERRORS];

/**
 * Both long activities heartbeat every 5 s from a timer, so 30 s of silence means the worker is gone
 * (kill -9, lost machine): its trials are retried elsewhere after ~40 s instead of minutes.
 */
const HEARTBEAT_TIMEOUT_MS = 30_000;

/** Short store / preparation calls on the workflow queue. */
export const storeActivities = proxyActivities<
  Pick<Activities, 'prepareCampaign' | 'recordCandidates' | 'recordEvent'>
>({
  taskQueue: QUEUES.workflows,
  startToCloseTimeout: '5 minutes',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
});

/** Systemic faults (outages, a lost worker) are retried with backoff; a result or a rejected key never is. */
const faultRetry = (rt: RuntimePlan): RetryPolicy => ({
  initialInterval: rt.retryInitialIntervalMs ?? 10_000,
  backoffCoefficient: 2,
  maximumInterval: rt.retryMaximumIntervalMs ?? '5 minutes',
  maximumAttempts: rt.trialAttempts ?? 3,
  nonRetryableErrorTypes: NON_RETRYABLE,
});

/**
 * Long, heartbeating sandbox runs on the trials queue. Systemic faults (a model API outage — type
 * LlmUnavailableError —, Docker, a lost worker) are retried with exponential backoff: campaign.yaml's
 * `runtime.faultRetry` sets how long an outage is ridden out. Credential and configuration faults are thrown
 * non-retryable by the activity itself.
 * Cancellation (an evaluation policy decided the candidate) reaches the activity with its next heartbeat
 * (the worker sends one at most every 0.8 × heartbeatTimeout); the workflow WAITS for the outcome, so a
 * trial that completed meanwhile comes back as a result — stored and charged once — not as "cancelled".
 */
export function trialActivities(rt: RuntimePlan = {}): Pick<Activities, 'runTrial'> {
  return proxyActivities<Pick<Activities, 'runTrial'>>({
    taskQueue: QUEUES.trials,
    startToCloseTimeout: rt.trialTimeoutMs ?? 2 * 60 * 60_000,
    heartbeatTimeout: rt.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: faultRetry(rt),
  });
}

/** Meta-agent proposals on the meta queue (LLM-only; rate limits retried with backoff). */
export function metaActivities(rt: RuntimePlan = {}): Pick<Activities, 'proposeCandidate'> {
  return proxyActivities<Pick<Activities, 'proposeCandidate'>>({
    taskQueue: QUEUES.meta,
    startToCloseTimeout: rt.proposalTimeoutMs ?? 60 * 60_000,
    heartbeatTimeout: rt.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS,
    retry: faultRetry(rt),
  });
}
