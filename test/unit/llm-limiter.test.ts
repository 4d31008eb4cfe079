/**
 * The per-model rate limiter on a hand-driven clock (no real waiting, no speed asserts): concurrency slots
 * in arrival order, the token window, shared retry-after pauses seen through the SDK's fetch, aborts, and
 * configuration from the environment.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { LlmClient } from '../../src/llm/client';
import { LlmAbortedError, LlmRateLimitError, isSystemicLlmError } from '../../src/llm/errors';
import {
  DEFAULT_429_PAUSE_MS,
  LimiterConfigError,
  MAX_PAUSE_MS,
  RateLimiter,
  limitedClient,
  limiterConfigFromEnv,
  limiterFor,
  resetLimiters,
  retryAfterMs,
  type LimiterClock,
  type Permit,
} from '../../src/llm/limiter';

class FakeClock implements LimiterClock {
  t = 1_000_000;
  timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.nextId;
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Moves time forward, firing due timers in order and letting promise callbacks run after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    await flush();
  }
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Acquires and records when each permit was granted. */
function track(
  l: RateLimiter,
  estimates: number[],
  signal?: AbortSignal,
): { granted: number[]; permits: Map<number, Permit>; errors: Map<number, unknown> } {
  const granted: number[] = [];
  const permits = new Map<number, Permit>();
  const errors = new Map<number, unknown>();
  estimates.forEach((e, i) => {
    l.acquire(e, signal).then(
      (p) => {
        granted.push(i);
        permits.set(i, p);
      },
      (err: unknown) => errors.set(i, err),
    );
  });
  return { granted, permits, errors };
}

describe('RateLimiter', () => {
  it('lets at most maxConcurrent requests through, the rest in arrival order as slots free up', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: 2, tokensPerMinute: null }, clock);
    const { granted, permits } = track(l, [1, 1, 1, 1, 1]);
    await flush();
    expect(granted).toEqual([0, 1]);
    expect([l.inFlight, l.waiting]).toEqual([2, 3]);
    permits.get(1)!.release(0);
    await flush();
    expect(granted).toEqual([0, 1, 2]);
    permits.get(1)!.release(0); // a second release of the same permit frees nothing
    await flush();
    expect(granted).toEqual([0, 1, 2]);
    permits.get(0)!.release(0);
    permits.get(2)!.release(0);
    await flush();
    expect(granted).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps the tokens of any 60 s window under tokensPerMinute, charging actual usage once known', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: null, tokensPerMinute: 100 }, clock);
    const a = track(l, [60, 60]);
    await flush();
    expect(a.granted).toEqual([0]);
    a.permits.get(0)!.release(30); // actual usage replaces the estimate: 30 + 60 fits
    await flush();
    expect(a.granted).toEqual([0, 1]);
    a.permits.get(1)!.release(60); // window: 30 (t0) + 60 (t0) = 90
    const b = track(l, [50]);
    await clock.advance(59_999);
    expect(b.granted).toEqual([]);
    await clock.advance(1); // both charges leave the window
    expect(b.granted).toEqual([0]);
  });

  it('lets one request bigger than the whole budget through once the window is empty', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: null, tokensPerMinute: 100 }, clock);
    const a = track(l, [500, 10]);
    await flush();
    expect(a.granted).toEqual([0]);
    a.permits.get(0)!.release(500);
    await clock.advance(60_000);
    expect(a.granted).toEqual([0, 1]);
  });

  it('holds every new request back during a pause', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: null, tokensPerMinute: null }, clock);
    l.pause(1_000);
    const a = track(l, [1, 1]);
    await clock.advance(999);
    expect(a.granted).toEqual([]);
    await clock.advance(1);
    expect(a.granted).toEqual([0, 1]);
  });

  it('an aborted waiter leaves the queue with LlmAbortedError and the next one gets its turn', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: 1, tokensPerMinute: null }, clock);
    const first = track(l, [1]);
    const ac = new AbortController();
    const second = track(l, [1], ac.signal);
    const third = track(l, [1]);
    await flush();
    ac.abort();
    await flush();
    expect(second.errors.get(0)).toBeInstanceOf(LlmAbortedError);
    first.permits.get(0)!.release(0);
    await flush();
    expect([second.granted, third.granted]).toEqual([[], [0]]);
    await expect(l.acquire(1, ac.signal)).rejects.toBeInstanceOf(LlmAbortedError);
  });

  it('the last waiter giving up leaves no timer behind (nothing keeps a finishing process open)', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: null, tokensPerMinute: null }, clock);
    l.pause(30_000);
    const ac = new AbortController();
    const w = track(l, [1], ac.signal);
    await flush();
    expect(clock.timers).toHaveLength(1);
    ac.abort();
    await flush();
    expect(w.errors.get(0)).toBeInstanceOf(LlmAbortedError);
    expect(clock.timers).toHaveLength(0);
  });
});

describe('RateLimiter.wrapFetch: a 429 pauses every caller of the model', () => {
  const answer = (status: number, headers: Record<string, string> = {}): typeof globalThis.fetch =>
    (async () => new Response('{}', { status, headers })) as typeof globalThis.fetch;

  it.each([
    [429, { 'retry-after': '2' }, 2_000],
    [429, { 'retry-after-ms': '250' }, 250],
    [429, {}, DEFAULT_429_PAUSE_MS],
    [429, { 'retry-after': '3600' }, MAX_PAUSE_MS],
    [529, { 'retry-after': '3' }, 3_000],
    [503, { 'retry-after': '1' }, 1_000],
  ])('status %d with %j pauses %d ms', async (status, headers, pauseMs) => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: null, tokensPerMinute: null }, clock);
    const res = await l.wrapFetch(answer(status, headers))('http://127.0.0.1:1/v1/messages');
    expect(res.status).toBe(status);
    const seen: string[] = [];
    const next = l.wrapFetch(answer(200));
    void next('http://127.0.0.1:1/x').then(() => seen.push('fetch'));
    void l.acquire(1).then(() => seen.push('acquire'));
    await clock.advance(pauseMs - 1);
    expect(seen).toEqual([]);
    await clock.advance(1);
    expect(seen.sort()).toEqual(['acquire', 'fetch']);
  });

  it('does not pause on success or on a 503 without retry-after', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: null, tokensPerMinute: null }, clock);
    await l.wrapFetch(answer(200))('http://127.0.0.1:1/');
    await l.wrapFetch(answer(503))('http://127.0.0.1:1/');
    const seen: string[] = [];
    void l.acquire(1).then(() => seen.push('acquire'));
    await flush();
    expect(seen).toEqual(['acquire']);
  });

  it('reads retry-after as seconds, an HTTP date, or retry-after-ms first', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }), now)).toBe(1_500);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '9', 'retry-after-ms': '20' }), now)).toBe(20);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });
});

describe('limitedClient', () => {
  const req: Anthropic.MessageCreateParamsNonStreaming = {
    model: 'm',
    max_tokens: 10,
    messages: [{ role: 'user', content: 'x'.repeat(400) }],
  };
  const reply = (usage: Partial<Anthropic.Usage>): Anthropic.Message =>
    ({ usage: { input_tokens: 0, output_tokens: 0, ...usage } }) as Anthropic.Message;

  it('charges the reported tokens (uncached input + cache writes + output) and frees the slot on failure too', async () => {
    const clock = new FakeClock();
    const l = new RateLimiter({ maxConcurrent: 1, tokensPerMinute: 1_000 }, clock);
    let fail = true;
    const inner: LlmClient = {
      createMessage: async () => {
        if (fail) throw new LlmRateLimitError('429');
        return reply({
          input_tokens: 300,
          cache_read_input_tokens: 5_000,
          cache_creation_input_tokens: 200,
          output_tokens: 100,
        });
      },
    };
    const llm = limitedClient(inner, l);
    await expect(llm.createMessage(req)).rejects.toBeInstanceOf(LlmRateLimitError);
    expect(l.inFlight).toBe(0);
    fail = false;
    await llm.createMessage(req); // charged 600: cache reads are free
    const a = track(l, [400, 1]);
    await flush();
    expect(a.granted).toEqual([0]); // 600 + 400 = 1000 fits
    a.permits.get(0)!.release(400);
    await flush();
    expect(a.granted).toEqual([0]); // 1000 + 1 does not, until the window moves on
    await clock.advance(60_000);
    expect(a.granted).toEqual([0, 1]);
  });
});

describe('limiter configuration', () => {
  afterEach(resetLimiters);

  it('reads AUTOAGENT_MAX_CONCURRENT_REQUESTS and AUTOAGENT_TOKENS_PER_MINUTE; unset or 0 is unlimited', () => {
    expect(limiterConfigFromEnv({})).toEqual({ maxConcurrent: null, tokensPerMinute: null });
    expect(limiterConfigFromEnv({ AUTOAGENT_MAX_CONCURRENT_REQUESTS: '8', AUTOAGENT_TOKENS_PER_MINUTE: '0' })).toEqual({
      maxConcurrent: 8,
      tokensPerMinute: null,
    });
    expect(limiterConfigFromEnv({ AUTOAGENT_TOKENS_PER_MINUTE: ' 400000 ' })).toEqual({
      maxConcurrent: null,
      tokensPerMinute: 400_000,
    });
  });

  it.each(['-1', '2.5', 'ten'])('rejects %s naming the variable, as a systemic configuration fault', (bad) => {
    let err: unknown;
    try {
      limiterConfigFromEnv({ AUTOAGENT_MAX_CONCURRENT_REQUESTS: bad });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LimiterConfigError);
    expect((err as Error).message).toMatch(/^AUTOAGENT_MAX_CONCURRENT_REQUESTS: expected a whole number/);
    expect(err).toMatchObject({ fault: 'configuration', variable: 'AUTOAGENT_MAX_CONCURRENT_REQUESTS' });
    expect(isSystemicLlmError(err)).toBe(true);
  });

  it('gives every caller of one model the same limiter, and each model its own', () => {
    const env = { AUTOAGENT_MAX_CONCURRENT_REQUESTS: '3' };
    const a = limiterFor('openai/qwen', env);
    expect(limiterFor('openai/qwen', env)).toBe(a);
    expect(limiterFor('anthropic/claude-haiku-4-5', env)).not.toBe(a);
    expect(a.config.maxConcurrent).toBe(3);
  });
});
