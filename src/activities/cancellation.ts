/**
 * What a trial activity does when the workflow cancels it (an evaluation policy decided its candidate):
 * a cancellation is neither a fault nor a result. The trial pipeline stops (its sandbox is removed in its
 * `finally`), nothing is recorded, cached or charged, and the activity completes as *cancelled* — which
 * the worker reports only for a CancelledFailure (any other error would be a failure, retried or fatal).
 *
 * Once a trial is in the store, though, the activity always reports it: a recorded trial the workflow
 * never received would be paid for and never charged. So the work that follows recording (the tampering
 * screen) runs under `stopsUnlessCancelled`, which still stops for a worker shutdown or a lost activity
 * (those are retried, and the retry finds the stored trial) but not for the workflow's cancel request.
 */
import type { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';

type Cancellable = Pick<Context, 'cancellationSignal' | 'cancellationDetails'>;

/** True once the server asked for this activity's cancellation (not for worker shutdown or a timeout). */
export const cancelRequested = (ctx: Cancellable): boolean =>
  ctx.cancellationSignal.aborted && ctx.cancellationDetails?.cancelRequested === true;

/** The failure to throw for a requested cancellation: the SDK's own, so the worker reports "cancelled". */
export function cancelledFailure(ctx: Cancellable, what: string): CancelledFailure {
  const reason: unknown = ctx.cancellationSignal.reason;
  return reason instanceof CancelledFailure ? reason : new CancelledFailure(`${what} cancelled: nothing was recorded`);
}

/** A signal that follows the activity's, except for a requested cancellation (see the module comment). */
export function stopsUnlessCancelled(ctx: Cancellable): AbortSignal {
  const ac = new AbortController();
  const follow = (): void => {
    if (!cancelRequested(ctx)) ac.abort(ctx.cancellationSignal.reason);
  };
  if (ctx.cancellationSignal.aborted) follow();
  else ctx.cancellationSignal.addEventListener('abort', follow, { once: true });
  return ac.signal;
}
