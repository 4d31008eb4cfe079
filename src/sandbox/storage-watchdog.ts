/**
 * storage_mb enforcement, second layer: where the storage driver holds a quota (storage-quota.ts) the kernel
 * bounds the total; everywhere, and first to act, a watchdog polls the container's
 * writable-layer size (SizeRw, measured by the daemon) while the agent works and, the moment it is over the
 * limit, stops the container — every process dies, nothing more is written — and reports a
 * StorageLimitError. The most an agent can write is the limit plus one polling interval's worth; the
 * interval shrinks (to 50 ms) as a fast-growing layer nears the limit. A per-file size limit (RLIMIT_FSIZE,
 * set by the provider) stops the simplest case, one big file, in the kernel.
 * Under a kernel quota the watchdog does not poll: the kernel already bounds the total, and each size poll costs
 * the daemon a walk of the layer (~100 ms on btrfs, against ~7 ms on overlay2); one measurement when the agent
 * ends still fails an agent that used more than storage_mb of the quota's headroom.
 */
import { StorageLimitError } from './errors';
import type { TrialSandbox } from './types';

/** Polling interval bounds: fastest when the layer grows fast near the limit, never more than 10% of the daemon's time. */
export const STORAGE_POLL_MS = 250;
export const STORAGE_MIN_POLL_MS = 50;

/** Next interval: half the time the current growth rate needs to reach the limit, within the bounds. */
export function nextPollMs(opts: {
  remainingBytes: number;
  bytesPerMs: number;
  lastPollMs: number;
  maxMs: number;
}): number {
  const toLimit = opts.bytesPerMs > 0 ? opts.remainingBytes / opts.bytesPerMs / 2 : opts.maxMs;
  return Math.max(STORAGE_MIN_POLL_MS, 10 * opts.lastPollMs, Math.min(opts.maxMs, toLimit));
}

export interface StorageWatch {
  /** Stops polling after one last measurement; resolves with the breach, if any (a Docker fault throws). */
  stop(): Promise<StorageLimitError | null>;
}

export function watchStorage(
  box: TrialSandbox,
  opts: { limitMb: number; onBreach: (err: StorageLimitError) => void; pollMs?: number },
): StorageWatch {
  const limitBytes = opts.limitMb * 1024 * 1024;
  let breach: StorageLimitError | null = null;
  let fault: unknown = null;
  let running = true;
  let wake: (() => void) | null = null;

  let last = { at: Date.now(), used: 0, pollMs: 0 };
  let rate = 0;

  const check = async (): Promise<void> => {
    const t0 = Date.now();
    const measured = await box.writableBytes();
    // -1: the daemon could not measure the layer. Under a btrfs quota that is what a full quota gives (its size
    // computation itself needs room), so it is a breach; elsewhere it only means "unknown".
    if (measured < 0 && box.storageQuota && !breach) {
      breach = StorageLimitError.quotaFull(opts.limitMb, 'the daemon can no longer measure the writable layer');
      await box.stop();
      opts.onBreach(breach);
      return;
    }
    const used = Math.max(0, measured);
    const now = Date.now();
    rate = now > last.at ? Math.max(0, used - last.used) / (now - last.at) : rate;
    last = { at: now, used, pollMs: now - t0 };
    if (used <= limitBytes || breach) return;
    breach = new StorageLimitError(used, opts.limitMb);
    await box.stop();
    opts.onBreach(breach);
  };

  const loop = (async (): Promise<void> => {
    while (running && !breach && !box.storageQuota) {
      try {
        await check();
      } catch (err) {
        fault = err;
        return;
      }
      if (!running) return; // stop() came while measuring: do not sleep a whole interval
      await new Promise<void>((resolve) => {
        const ms = nextPollMs({
          remainingBytes: limitBytes - last.used,
          bytesPerMs: rate,
          lastPollMs: last.pollMs,
          maxMs: opts.pollMs ?? STORAGE_POLL_MS,
        });
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      if (fault) throw fault;
      if (!breach) await check(); // what was written since the last poll counts too
      return breach;
    },
  };
}
