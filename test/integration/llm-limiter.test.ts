/**
 * The shared per-model limiter on the real path (createLlmClient → limiter → real SDK → fake server on
 * 127.0.0.1), with many clients of one model as many trials of a worker would hold: the server never sees
 * more requests in flight than AUTOAGENT_MAX_CONCURRENT_REQUESTS, and once one caller is answered 429 with
 * retry-after, no other caller of that model reaches the server before the pause is over.
 * Assertions are on counts and on lower bounds of waits the server asked for, never on speed.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { startFakeOpenAi, type FakeOpenAi } from '../../src/llm/fake-openai/server';
import { limiterFor, resetLimiters } from '../../src/llm/limiter';
import { createLlmClient } from '../../src/llm/provider';
import { withEnv } from '../support/env';
import { startFakeAnthropic, text, type FakeAnthropic, type FakeReply } from '../support/fake-anthropic';

const req = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({
  model,
  max_tokens: 50,
  messages: [{ role: 'user', content: 'hi' }],
});
const HOLD_MS = 400;

let openai: FakeOpenAi | null = null;
let anthropic: FakeAnthropic | null = null;
beforeEach(resetLimiters);
afterEach(async () => {
  await openai?.close();
  await anthropic?.close();
  openai = anthropic = null;
  resetLimiters();
});

/** `n` clients of one model (one per simulated trial), all calling at once. */
const callAll = (model: string, n: number): Promise<Anthropic.Message[]> =>
  Promise.all(Array.from({ length: n }, () => createLlmClient(model).createMessage(req(model))));

describe('AUTOAGENT_MAX_CONCURRENT_REQUESTS against the fake servers', () => {
  it('openai/: 12 callers, limit 3 → the server never has more than 3 in flight; without a limit it has more', async () => {
    const f = (openai = await startFakeOpenAi(() => ({ content: [text('ok')], delayMs: HOLD_MS })));
    await withEnv(
      { OPENAI_BASE_URL: f.url, OPENAI_API_KEY: undefined, AUTOAGENT_MAX_CONCURRENT_REQUESTS: '3' },
      async () => {
        const replies = await callAll('openai/limited', 12);
        expect(replies.every((m) => m.content[0]?.type === 'text')).toBe(true);
      },
    );
    expect(f.requests).toHaveLength(12);
    expect(f.maxInFlight).toBeLessThanOrEqual(3);
    expect(f.maxInFlight).toBeGreaterThanOrEqual(1);

    const g = (openai = await startFakeOpenAi(() => ({ content: [text('ok')], delayMs: HOLD_MS })));
    await f.close();
    await withEnv(
      { OPENAI_BASE_URL: g.url, OPENAI_API_KEY: undefined, AUTOAGENT_MAX_CONCURRENT_REQUESTS: undefined },
      () => callAll('openai/unlimited', 12),
    );
    expect(g.maxInFlight).toBeGreaterThan(3); // the control: the server does count parallel requests
  });

  it('anthropic: 10 callers, limit 2 → at most 2 requests are being answered at once', async () => {
    let inFlight = 0;
    let most = 0;
    const script = async (): Promise<FakeReply> => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, HOLD_MS));
      inFlight--;
      return { content: [text('ok')] };
    };
    const f = (anthropic = await startFakeAnthropic(script));
    await withEnv(
      { ANTHROPIC_BASE_URL: f.url, ANTHROPIC_API_KEY: 'k-limit', AUTOAGENT_MAX_CONCURRENT_REQUESTS: '2' },
      () => callAll('claude-haiku-4-5', 10),
    );
    expect(f.requests).toHaveLength(10);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBeGreaterThanOrEqual(1);
  });
});

describe('retry-after is honoured by every caller of the model, not only the one that got the 429', () => {
  /** Starts one call that is answered 429 + retry-after: 1, waits until the limiter saw it, then starts `n` more. */
  async function stormAfter429(model: string, requests: () => { receivedAt: number }[], n: number): Promise<void> {
    const first = createLlmClient(model).createMessage(req(model));
    const limiter = limiterFor(model.includes('/') ? model : `anthropic/${model}`);
    for (let i = 0; i < 2_000 && limiter.pauseRemainingMs === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(limiter.pauseRemainingMs).toBeGreaterThan(0);
    const rest = callAll(model, n);
    await Promise.all([first, rest]);
    const [t429, ...later] = requests().map((r) => r.receivedAt);
    expect(later).toHaveLength(n + 1); // the first caller's retry, and the n others
    // The server said "1 second": nobody came back sooner (5 ms slack for clock granularity).
    for (const t of later) expect(t - t429!).toBeGreaterThanOrEqual(995);
  }

  it('openai/', async () => {
    const f = (openai = await startFakeOpenAi((_r, i) =>
      i === 0 ? { error: 'rate_limit', headers: { 'retry-after': '1' } } : { content: [text('ok')] },
    ));
    await withEnv({ OPENAI_BASE_URL: f.url, OPENAI_API_KEY: undefined }, () =>
      stormAfter429('openai/storm', () => f.requests, 6),
    );
  });

  it('anthropic', async () => {
    const f = (anthropic = await startFakeAnthropic((_r, i) =>
      i === 0 ? { error: 'rate_limit', headers: { 'retry-after': '1' } } : { content: [text('ok')] },
    ));
    await withEnv({ ANTHROPIC_BASE_URL: f.url, ANTHROPIC_API_KEY: 'k-storm' }, () =>
      stormAfter429('claude-haiku-4-5', () => f.requests, 6),
    );
  });
});
