/**
 * Small helpers the trial pipeline is made of: the agent phase with its
 * deadline (an AbortController fires at the deadline; if the agent ignores it we stop waiting after a
 * grace period and carry on, so a stuck agent can never hold a trial past its timeout).
 */
import { isSystemicLlmError } from '../llm/errors';
import { zeroUsage } from '../llm/usage';
import type { AgentContext, AgentOutcome, AgentRunner } from './agents';
import { AgentTimeoutError, describeError } from './errors';

const AGENT_GRACE_MS = 15_000;

const failed = (stopReason: AgentOutcome['stopReason'], error: string): AgentOutcome => ({
  stopReason,
  turns: 0,
  usage: zeroUsage(),
  error,
  finalMessage: null,
});

export async function runAgentWithDeadline(
  runner: AgentRunner,
  ctx: Omit<AgentContext, 'deadlineMs' | 'signal'> & {
    timeoutSec: number;
    signal?: AbortSignal;
    graceMs?: number;
  },
): Promise<AgentOutcome> {
  const deadlineMs = Date.now() + ctx.timeoutSec * 1000;
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timeoutErr = new AgentTimeoutError(ctx.timeoutSec);
  const deadlineTimer = setTimeout(() => abort.abort(timeoutErr), ctx.timeoutSec * 1000);
  let giveUpTimer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'gave-up'>((resolve) => {
    giveUpTimer = setTimeout(() => resolve('gave-up'), ctx.timeoutSec * 1000 + (ctx.graceMs ?? AGENT_GRACE_MS));
  });
  const run = runner({
    task: ctx.task,
    sandbox: ctx.sandbox,
    recorder: ctx.recorder,
    heartbeat: ctx.heartbeat,
    deadlineMs,
    signal: abort.signal,
  }).catch((err: unknown) => {
    if (isSystemicLlmError(err)) throw err; // not the agent's failure: runTrial rethrows it, nothing is scored
    return failed(abort.signal.reason === timeoutErr ? 'timeout' : 'error', describeError(err));
  });
  try {
    const r = await Promise.race([run, gaveUp]);
    const outcome = r === 'gave-up' ? failed('timeout', describeError(timeoutErr)) : r;
    // The reason is the deadline's only when its timer fired: no clock reading (a timer may fire a
    // millisecond before Date.now() reaches deadlineMs, which made a timed-out agent look finished).
    if (outcome.stopReason === 'timeout' || abort.signal.reason === timeoutErr) {
      return { ...outcome, stopReason: 'timeout', error: describeError(timeoutErr) };
    }
    return outcome;
  } finally {
    clearTimeout(deadlineTimer);
    clearTimeout(giveUpTimer);
    ctx.signal?.removeEventListener('abort', onOuterAbort);
    abort.abort(); // tell an agent we stopped waiting for to stop, too
  }
}

/**
 * `work`, unless `signal` aborts first: then it rejects at once with the signal's reason (the caller's
 * `finally` removes the sandbox, which ends whatever `work` still runs in it — a long bash command would
 * otherwise hold a cancelled trial until it returned). `work`'s later settling is swallowed.
 */
export function unlessAborted<T>(signal: AbortSignal | undefined, work: Promise<T>): Promise<T> {
  if (!signal) return work;
  const reason = (): unknown => (signal.reason instanceof Error ? signal.reason : new Error('trial cancelled'));
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    work
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort))
      .catch(() => undefined);
  });
}
