import { createAnthropicClient } from '../../src/llm/client';
import { LlmAuthError, LlmBadRequestError, LlmOverloadedError, LlmRateLimitError } from '../../src/llm/errors';
import { withEnv } from '../support/env';
import {
  apiKeyOf,
  loadScriptFile,
  parseScriptFile,
  ScriptFileError,
  startFakeAnthropic,
  text,
  turnOf,
  type FakeAnthropic,
} from '../support/fake-anthropic';

const req = { model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };
let fake: FakeAnthropic | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describe('createAnthropicClient against the fake Messages API', () => {
  it('returns the scripted message and sends the key', async () => {
    fake = await startFakeAnthropic([{ content: [text('hello')], usage: { input_tokens: 7, output_tokens: 3 } }]);
    const llm = createAnthropicClient({ apiKey: 'k-test', baseURL: fake.url });
    const m = await llm.createMessage(req);
    expect(m.content).toEqual([{ type: 'text', text: 'hello', citations: null }]);
    expect(m.stop_reason).toBe('end_turn');
    expect(m.usage).toMatchObject({ input_tokens: 7, output_tokens: 3 });
    expect(apiKeyOf(fake.requests[0]!.headers)).toBe('k-test');
  });

  it('honours ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY from the environment', async () => {
    const f = (fake = await startFakeAnthropic([{ content: [text('env ok')] }]));
    await withEnv({ ANTHROPIC_API_KEY: 'k-env', ANTHROPIC_BASE_URL: f.url }, async () => {
      const m = await createAnthropicClient().createMessage(req);
      expect(m.content[0]).toMatchObject({ text: 'env ok' });
      expect(apiKeyOf(f.requests[0]!.headers)).toBe('k-env');
    });
  });

  it('retries 429 and 529 honouring retry-after and retry-after-ms', async () => {
    fake = await startFakeAnthropic([
      { error: 'rate_limit', headers: { 'retry-after': '1' } },
      { error: 'overloaded', headers: { 'retry-after-ms': '20' } },
      { content: [text('finally')] },
    ]);
    const m = await createAnthropicClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 3 }).createMessage(req);
    expect(m.content[0]).toMatchObject({ text: 'finally' });
    const [a, b, c] = fake.requests.map((r) => r.receivedAt);
    expect(fake.requests).toHaveLength(3);
    expect(b! - a!).toBeGreaterThanOrEqual(950); // retry-after: 1 second
    expect(c! - b!).toBeLessThan(500); // retry-after-ms: 20 (the default 2nd backoff is >= 750 ms)
  });

  it('throws typed errors once retries are exhausted', async () => {
    fake = await startFakeAnthropic([
      { error: 'rate_limit', headers: { 'retry-after-ms': '5' } },
      { error: 'rate_limit', headers: { 'retry-after-ms': '5' } },
      { error: 'overloaded', headers: { 'retry-after-ms': '5' } },
      { error: 'overloaded', headers: { 'retry-after-ms': '5' } },
      { error: 'auth', message: 'invalid x-api-key' },
      { error: 'bad_request', message: 'prompt is too long' },
    ]);
    const llm = createAnthropicClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 1 });
    await expect(llm.createMessage(req)).rejects.toBeInstanceOf(LlmRateLimitError);
    await expect(llm.createMessage(req)).rejects.toBeInstanceOf(LlmOverloadedError);
    const auth = await llm.createMessage(req).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(LlmAuthError);
    expect(auth).toMatchObject({ name: 'LlmAuthError', status: 401, retryable: false });
    const bad = await llm.createMessage(req).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(LlmBadRequestError);
    expect((bad as Error).message).toMatch(/invalid_request_error: prompt is too long/);
    expect(fake.requests).toHaveLength(6); // 2 + 2 retried; 401 and 400 not retried
  });

  it('fails fast without an API key', () => {
    withEnv({ ANTHROPIC_API_KEY: undefined }, () => {
      expect(() => createAnthropicClient({ baseURL: 'http://127.0.0.1:1' })).toThrow(LlmAuthError);
    });
  });

  it('the fake server rejects a tool_use without a following tool_result, like the real API', async () => {
    fake = await startFakeAnthropic([{ content: [text('unreachable')] }]);
    const llm = createAnthropicClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
    const bad = {
      ...req,
      messages: [
        { role: 'user' as const, content: 'hi' },
        {
          role: 'assistant' as const,
          content: [{ type: 'tool_use' as const, id: 'toolu_1', name: 'bash', input: {} }],
        },
        { role: 'user' as const, content: 'no result' },
      ],
    };
    await expect(llm.createMessage(bad)).rejects.toThrow(/tool_use` ids were found without `tool_result`/);
  });
});

describe('fake-anthropic script files', () => {
  it('accepts a bare array or { replies } and names the bad field otherwise', () => {
    const reply = { content: [{ type: 'text', text: 'x' }] };
    expect(parseScriptFile([reply], 'a.json')).toEqual([reply]);
    expect(parseScriptFile({ replies: [{ error: 'overloaded' }, reply] }, 'b.json')).toHaveLength(2);
    expect(() => parseScriptFile({ replies: [reply, { content: [{ type: 'bogus' }] }] }, 'c.json')).toThrow(
      'c.json: replies.1.content.0.type:',
    );
    expect(() => parseScriptFile([{ error: 'teapot' }], 'd.json')).toThrow(ScriptFileError);
    expect(() => parseScriptFile({ nope: 1 }, 'e.json')).toThrow('e.json: replies: expected an array');
  });

  it('reads the byTurn mode, rejects unknown keys, and tells a request its turn', () => {
    const reply = { content: [{ type: 'text', text: 'x' }] };
    expect(loadScriptFile([reply], 'a.json').byTurn).toBe(false);
    expect(loadScriptFile({ replies: [reply], byTurn: true }, 'b.json')).toEqual({ replies: [reply], byTurn: true });
    expect(() => loadScriptFile({ replies: [], bytur: true }, 'c.json')).toThrow('c.json: bytur: unknown key');
    expect(() => loadScriptFile({ replies: [], byTurn: 'yes' }, 'd.json')).toThrow(
      'd.json: byTurn: expected true or false',
    );
    const msgs = [{ role: 'user' }, { role: 'assistant' }, { role: 'user' }, { role: 'assistant' }, { role: 'user' }];
    expect(turnOf({ body: { messages: msgs.slice(0, 1) } })).toBe(0);
    expect(turnOf({ body: { messages: msgs } })).toBe(2);
    expect(turnOf({ body: 'not json' })).toBe(0);
  });
});
