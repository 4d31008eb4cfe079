/**
 * A per-model rate limiter shared by every trial in a worker process (issue 7 part 3), so that a campaign
 * at concurrency 50 does not become a 429 storm:
 *   - at most `maxConcurrent` requests of one model in flight (AUTOAGENT_MAX_CONCURRENT_REQUESTS);
 *   - at most `tokensPerMinute` tokens charged in any 60 s window (AUTOAGENT_TOKENS_PER_MINUTE): a request
 *     is charged an estimate of its prompt when it starts, replaced by the tokens the API reported (uncached
 *     input + cache writes + output; cache reads do not count, as in Anthropic's limits) when it ends;
 *   - when any caller's attempt is answered 429 (or 503/529 with `retry-after`), every caller of that model
 *     waits the pause out, retries inside the SDKs included: the SDK's `fetch` goes through `wrapFetch`.
 * Unset or 0 means unlimited; the `retry-after` pause is always on. Requests start in arrival order.
 * Time comes from an injectable clock so unit tests drive it by hand.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { LlmClient } from './client';
import { LlmAbortedError, LlmError } from './errors';

export interface LimiterClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: LimiterClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface LimiterConfig {
  /** null: unlimited. */
  maxConcurrent: number | null;
  /** null: unlimited. */
  tokensPerMinute: number | null;
}

/** A 429 without `retry-after` still pauses everyone this long: the first backoff, shared. */
export const DEFAULT_429_PAUSE_MS = 1000;
/** Longer asks are capped (the SDKs, too, ignore a retry-after above a minute). */
export const MAX_PAUSE_MS = 60_000;
const WINDOW_MS = 60_000;

/** A bad limiter setting: configuration, so systemic (the campaign pauses; no trial is scored on it). */
export class LimiterConfigError extends LlmError {
  override readonly name = 'LimiterConfigError';
  override readonly fault = 'configuration';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`, null, false);
  }
}

export function limiterConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LimiterConfig {
  const read = (variable: string): number | null => {
    const raw = env[variable]?.trim();
    if (!raw) return null;
    if (!/^\d+$/.test(raw))
      throw new LimiterConfigError(variable, `expected a whole number >= 0 (0 = unlimited), got "${raw}"`);
    const n = Number(raw);
    return n === 0 ? null : n;
  };
  return {
    maxConcurrent: read('AUTOAGENT_MAX_CONCURRENT_REQUESTS'),
    tokensPerMinute: read('AUTOAGENT_TOKENS_PER_MINUTE'),
  };
}

interface Charge {
  at: number;
  tokens: number;
}

interface Waiter {
  estimate: number;
  resolve: (p: Permit) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export interface Permit {
  /** Ends the request; `tokens` replaces the estimate it was charged (0 when the call failed). */
  release(tokens: number): void;
}

export class RateLimiter {
  private active = 0;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private charges: Charge[] = [];
  private timer: { handle: unknown; at: number } | null = null;

  constructor(
    readonly config: LimiterConfig,
    private readonly clock: LimiterClock = realClock,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** How long the current retry-after pause still runs (0: none). */
  get pauseRemainingMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }

  /** Waits for a slot (and token budget, and the end of any pause); rejects with LlmAbortedError on abort. */
  acquire(estimate: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(new LlmAbortedError());
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = {
        estimate,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(new LlmAbortedError());
          // Nobody left to wake: drop the timer so it cannot hold a finishing process open for up to a minute.
          if (this.queue.length === 0 && this.timer) {
            this.clock.clearTimeout(this.timer.handle);
            this.timer = null;
          }
          this.pump();
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.queue.push(w);
      this.pump();
    });
  }

  /** Every caller of this model waits `ms` (capped at a minute) before its next attempt. */
  pause(ms: number): void {
    const until = this.clock.now() + Math.min(Math.max(ms, 0), MAX_PAUSE_MS);
    if (until > this.pausedUntil) this.pausedUntil = until;
  }

  /** Resolves once no pause is in effect (used before every HTTP attempt, SDK retries included). */
  async whenOpen(signal?: AbortSignal): Promise<void> {
    for (let wait = this.pausedUntil - this.clock.now(); wait > 0; wait = this.pausedUntil - this.clock.now()) {
      await sleep(this.clock, wait, signal);
    }
  }

  /** A fetch for an SDK: waits out pauses before each attempt and turns 429s into a shared pause. */
  wrapFetch(inner: typeof globalThis.fetch = globalThis.fetch): typeof globalThis.fetch {
    return async (input, init) => {
      await this.whenOpen(init?.signal ?? undefined);
      const res = await inner(input, init);
      if (res.status === 429 || res.status === 503 || res.status === 529) {
        const ms = retryAfterMs(res.headers, this.clock.now());
        if (ms !== null) this.pause(ms);
        else if (res.status === 429) this.pause(DEFAULT_429_PAUSE_MS);
      }
      return res;
    };
  }

  private pump(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      if (this.config.maxConcurrent !== null && this.active >= this.config.maxConcurrent) return; // a release pumps
      const now = this.clock.now();
      const readyAt = Math.max(this.pausedUntil, this.budgetReadyAt(head.estimate, now));
      if (readyAt > now) return this.wakeAt(readyAt);
      this.queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      const charge: Charge = { at: now, tokens: head.estimate };
      this.charges.push(charge);
      this.active++;
      let released = false;
      head.resolve({
        release: (tokens) => {
          if (released) return;
          released = true;
          charge.tokens = Math.max(0, tokens);
          this.active--;
          this.pump();
        },
      });
    }
  }

  /** When `estimate` more tokens fit the window (now, if the window is empty: one big request must pass). */
  private budgetReadyAt(estimate: number, now: number): number {
    const tpm = this.config.tokensPerMinute;
    if (tpm === null) return now;
    this.charges = this.charges.filter((c) => c.at + WINDOW_MS > now);
    let used = this.charges.reduce((s, c) => s + c.tokens, 0);
    if (used === 0 || used + estimate <= tpm) return now;
    for (const c of this.charges) {
      used -= c.tokens;
      if (used === 0 || used + estimate <= tpm) return c.at + WINDOW_MS;
    }
    return now;
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timer.at <= at) return;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    const handle = this.clock.setTimeout(() => {
      this.timer = null;
      this.pump();
    }, at - this.clock.now());
    this.timer = { handle, at };
  }
}

function sleep(clock: LimiterClock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new LlmAbortedError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(new LlmAbortedError());
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `retry-after-ms`, else `retry-after` (seconds or an HTTP date), in ms; null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const ms = parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (!ra) return null;
  const s = parseFloat(ra);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** A rough prompt size in tokens (4 characters a token), charged until the API reports the real count. */
function estimateTokens(req: Anthropic.MessageCreateParamsNonStreaming): number {
  return Math.ceil(JSON.stringify([req.system ?? '', req.messages, req.tools ?? []]).length / 4);
}

/** The tokens a response is charged: uncached input, cache writes and output. */
const chargedTokens = (u: Anthropic.Message['usage']): number =>
  (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.output_tokens ?? 0);

/** `inner` behind `limiter`: each createMessage holds one slot for its whole call, the SDK's retries included. */
export function limitedClient(inner: LlmClient, limiter: RateLimiter): LlmClient {
  return {
    async createMessage(req, opts) {
      const permit = await limiter.acquire(estimateTokens(req), opts?.signal);
      let tokens = 0;
      try {
        const resp = await inner.createMessage(req, opts);
        tokens = chargedTokens(resp.usage);
        return resp;
      } finally {
        permit.release(tokens);
      }
    },
  };
}

const shared = new Map<string, RateLimiter>();

/** The process-wide limiter of one model (created on first use with the environment's settings). */
export function limiterFor(model: string, env: NodeJS.ProcessEnv = process.env): RateLimiter {
  let l = shared.get(model);
  if (!l) {
    l = new RateLimiter(limiterConfigFromEnv(env));
    shared.set(model, l);
  }
  return l;
}

/** Forgets the shared limiters (tests that change the environment between cases). */
export function resetLimiters(): void {
  shared.clear();
}
