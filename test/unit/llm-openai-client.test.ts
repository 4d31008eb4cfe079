/**
 * The openai/ provider through the real `openai` SDK against the fake Chat Completions server on 127.0.0.1:
 * keys and base URLs as the SDK reads them, a tool round trip the server's strict check accepts, malformed
 * arguments, every failure mapped onto the Anthropic path's error classes, retry-after honoured, and a 200
 * that is not a chat completion (or, on the Anthropic path, not a message) as a typed LlmBadResponseError.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { createAnthropicClient } from '../../src/llm/client';
import {
  LlmAuthError,
  LlmBadRequestError,
  LlmBadResponseError,
  LlmModelNotFoundError,
  LlmRateLimitError,
  LlmServerError,
  isSystemicLlmError,
} from '../../src/llm/errors';
import { startFakeOpenAi, type FakeOpenAi } from '../../src/llm/fake-openai/server';
import { resetLimiters } from '../../src/llm/limiter';
import { createOpenAiClient, PLACEHOLDER_API_KEY } from '../../src/llm/openai-client';
import { createLlmClient } from '../../src/llm/provider';
import { withEnv } from '../support/env';
import { startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../support/fake-anthropic';

const req: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'qwen',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'hi' }],
};
const bearer = (f: FakeOpenAi, i = 0): unknown => f.requests[i]!.headers['authorization'];
const noEnv = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };

let fake: FakeOpenAi | null = null;
let fakeA: FakeAnthropic | null = null;
afterEach(async () => {
  await fake?.close();
  await fakeA?.close();
  fake = fakeA = null;
  resetLimiters();
});

describe('createOpenAiClient against the fake Chat Completions server', () => {
  it('returns the scripted reply as a Message and sends the key as a bearer token', async () => {
    fake = await startFakeOpenAi([
      { content: [text('hello')], usage: { input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 2 } },
    ]);
    const m = await createOpenAiClient({ apiKey: 'sk-test', baseURL: fake.url }).createMessage(req);
    expect(m).toMatchObject({ type: 'message', role: 'assistant', model: 'qwen', stop_reason: 'end_turn' });
    expect(m.content).toEqual([{ type: 'text', text: 'hello', citations: null }]);
    expect(m.usage).toMatchObject({
      input_tokens: 7,
      output_tokens: 3,
      cache_read_input_tokens: 2,
      cache_creation_input_tokens: 0,
    });
    expect(bearer(fake)).toBe('Bearer sk-test');
    expect(fake.requests[0]!.path).toBe('/v1/chat/completions');
  });

  it('reads OPENAI_BASE_URL and OPENAI_API_KEY; with only the base URL it sends a placeholder key', async () => {
    const f = (fake = await startFakeOpenAi([{ content: [text('a')] }, { content: [text('b')] }]));
    await withEnv({ OPENAI_BASE_URL: f.url, OPENAI_API_KEY: 'sk-env' }, () => createOpenAiClient().createMessage(req));
    await withEnv({ OPENAI_BASE_URL: f.url, OPENAI_API_KEY: undefined }, () => createOpenAiClient().createMessage(req));
    expect([bearer(f, 0), bearer(f, 1)]).toEqual(['Bearer sk-env', `Bearer ${PLACEHOLDER_API_KEY}`]);
  });

  it('fails fast, naming OPENAI_API_KEY, with neither variable set', () => {
    withEnv(noEnv, () => {
      expect(() => createOpenAiClient()).toThrow(LlmAuthError);
      expect(() => createOpenAiClient()).toThrow(/OPENAI_API_KEY is not set/);
    });
  });

  it('carries a tool round trip the server accepts, and keeps malformed arguments for the loop to reject', async () => {
    fake = await startFakeOpenAi([
      {
        content: [
          text('Looking.'),
          toolUse('bash', { command: 'ls' }, 'call_a'),
          toolUse('bash', '{"command": "ls', 'call_b'),
        ],
      },
      { content: [text('Done.')] },
    ]);
    const llm = createOpenAiClient({ apiKey: 'k', baseURL: fake.url });
    const tools: Anthropic.Tool[] = [
      {
        name: 'bash',
        description: 'Run.',
        input_schema: { type: 'object', properties: { command: { type: 'string' } } },
      },
    ];
    const first = await llm.createMessage({
      ...req,
      tools,
      system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
    });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content.slice(1)).toMatchObject([
      { type: 'tool_use', id: 'call_a', name: 'bash', input: { command: 'ls' } },
      { type: 'tool_use', id: 'call_b', name: 'bash', input: '{"command": "ls' },
    ]);
    const second = await llm.createMessage({
      ...req,
      tools,
      messages: [
        ...req.messages,
        {
          role: 'assistant',
          content: first.content.map((b) =>
            b.type === 'tool_use'
              ? { type: 'tool_use', id: b.id, name: b.name, input: b.input }
              : b.type === 'text'
                ? { type: 'text', text: b.text }
                : b,
          ) as Anthropic.ContentBlockParam[],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_a', content: 'x' },
            { type: 'tool_result', tool_use_id: 'call_b', content: 'Invalid input', is_error: true },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Done.', citations: null }]);
    const sent = fake.requests[1]!.body as { messages: unknown[] };
    expect(sent.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } },
          { id: 'call_b', type: 'function', function: { name: 'bash', arguments: '{"command": "ls' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'x' },
      { role: 'tool', tool_call_id: 'call_b', content: 'Error: Invalid input' },
    ]);
  });

  it('maps final failures onto the same error classes as the Anthropic path', async () => {
    fake = await startFakeOpenAi([
      { error: 'auth', message: 'Incorrect API key provided' },
      { error: 'not_found', message: 'The model `nope` does not exist' },
      { error: 'bad_request', message: 'context length exceeded' },
      { error: 'rate_limit', headers: { 'retry-after-ms': '5' } },
      { error: 'rate_limit', headers: { 'retry-after-ms': '5' } },
      { error: 'overloaded', headers: { 'retry-after-ms': '5' } },
      { error: 'server', headers: { 'retry-after-ms': '5' } },
      { error: 'auth', message: 'Missing bearer token' },
    ]);
    const failure = (c: ReturnType<typeof createOpenAiClient>): Promise<unknown> =>
      c.createMessage(req).then(
        () => null,
        (e: unknown) => e,
      );
    const url = fake.url;
    const auth = await withEnv({ OPENAI_API_KEY: 'sk-bad', OPENAI_BASE_URL: url }, () =>
      failure(createOpenAiClient({ maxRetries: 1 })),
    );
    const llm = createOpenAiClient({ apiKey: 'k', baseURL: url, maxRetries: 1 });
    const [notFound, bad, limited, server] = [
      await failure(llm),
      await failure(llm),
      await failure(llm),
      await failure(llm),
    ];
    expect(auth).toBeInstanceOf(LlmAuthError);
    expect(auth).toMatchObject({
      status: 401,
      message: expect.stringMatching(/^OPENAI_API_KEY was rejected \(401\).*Incorrect API key/),
    });
    const placeholder = await withEnv({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: url }, () =>
      failure(createOpenAiClient({ maxRetries: 0 })),
    );
    expect(placeholder).toBeInstanceOf(LlmAuthError);
    expect((placeholder as Error).message).toMatch(/^OPENAI_API_KEY is not set and the endpoint wants a key \(401\)/);
    expect(notFound).toBeInstanceOf(LlmModelNotFoundError);
    expect(notFound).toMatchObject({ status: 404, message: expect.stringContaining('does not exist') });
    expect(bad).toBeInstanceOf(LlmBadRequestError);
    expect(isSystemicLlmError(bad)).toBe(false);
    expect(limited).toBeInstanceOf(LlmRateLimitError);
    expect(server).toBeInstanceOf(LlmServerError);
    expect(server).toMatchObject({ status: 500, retryable: true });
    expect(fake.requests).toHaveLength(8); // 401/404/400/401 once each, 429 and 503→500 retried once
  });

  it('a refused connection and a timeout are retryable server faults', async () => {
    const gone = await startFakeOpenAi([]);
    const deadUrl = gone.url;
    await gone.close();
    const refused = await createOpenAiClient({ apiKey: 'k', baseURL: deadUrl, maxRetries: 0 })
      .createMessage(req)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LlmServerError);
    expect((refused as Error).message).toMatch(/connection to the OpenAI-compatible endpoint at .* failed/);
    fake = await startFakeOpenAi([{ content: [text('late')], delayMs: 5_000 }]);
    const slow = await createOpenAiClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 0, timeoutMs: 200 })
      .createMessage(req)
      .catch((e: unknown) => e);
    // Under plain Node the SDK says APIConnectionTimeoutError; inside Jest's realm the same abort reaches it
    // as a generic connection error (its DOMException is not an Error there). Either way: a retryable outage.
    expect(slow).toBeInstanceOf(LlmServerError);
    expect(slow).toMatchObject({ retryable: true, fault: 'outage' });
    expect((slow as Error).message).toMatch(/timed out|failed/);
  });

  it('honours retry-after on a 429 (the SDK waits at least that long)', async () => {
    fake = await startFakeOpenAi([
      { error: 'rate_limit', headers: { 'retry-after': '1' } },
      { content: [text('finally')] },
    ]);
    const m = await createOpenAiClient({ apiKey: 'k', baseURL: fake.url, maxRetries: 2 }).createMessage(req);
    expect(m.content[0]).toMatchObject({ text: 'finally' });
    const [a, b] = fake.requests.map((r) => r.receivedAt);
    expect(b! - a!).toBeGreaterThanOrEqual(950);
  });

  it('through createLlmClient: the server sees its own model name, the Message keeps openai/<model>', async () => {
    const f = (fake = await startFakeOpenAi([{ content: [text('ok')] }]));
    const m = await withEnv({ OPENAI_BASE_URL: f.url, OPENAI_API_KEY: undefined }, () =>
      createLlmClient('openai/qwen2.5-coder:1.5b').createMessage({ ...req, model: 'openai/qwen2.5-coder:1.5b' }),
    );
    expect((f.requests[0]!.body as { model: string }).model).toBe('qwen2.5-coder:1.5b');
    expect(m.model).toBe('openai/qwen2.5-coder:1.5b');
  });
});

describe('a 200 answer that is not a response is a typed, retryable error (issue 12)', () => {
  const bodies: [string, string, RegExp][] = [
    ['{}', 'application/json', /answered with a JSON object that is not a/],
    [
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'text/html',
      /answered with a string that is not a.*502 Bad Gateway/,
    ],
  ];

  it.each(bodies)('OpenAI path: %s', async (raw, contentType, message) => {
    fake = await startFakeOpenAi([{ raw, contentType }]);
    const err = await createOpenAiClient({ apiKey: 'k', baseURL: fake.url })
      .createMessage(req)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmBadResponseError);
    expect(err).toMatchObject({ name: 'LlmBadResponseError', retryable: true, status: 200 });
    expect((err as Error).message).toMatch(/^the OpenAI-compatible endpoint /);
    expect((err as Error).message).toMatch(message);
    expect(isSystemicLlmError(err)).toBe(true);
  });

  it.each(bodies)('Anthropic path: %s', async (raw, contentType, message) => {
    fakeA = await startFakeAnthropic([{ raw, contentType }]);
    const err = await createAnthropicClient({ apiKey: 'k', baseURL: fakeA.url })
      .createMessage({ ...req, model: 'claude-haiku-4-5' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmBadResponseError);
    expect(err).toMatchObject({ name: 'LlmBadResponseError', retryable: true, status: 200 });
    expect((err as Error).message).toMatch(/^the Anthropic Messages API /);
    expect((err as Error).message).toMatch(message);
  });

  it('Anthropic path: a message whose content is not an array names the field', async () => {
    fakeA = await startFakeAnthropic([
      {
        raw: JSON.stringify({
          type: 'message',
          role: 'assistant',
          content: 'oops',
          stop_reason: 'end_turn',
          usage: { input_tokens: 1, output_tokens: 1 },
        }),
      },
    ]);
    const err = await createAnthropicClient({ apiKey: 'k', baseURL: fakeA.url })
      .createMessage({ ...req, model: 'claude-haiku-4-5' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmBadResponseError);
    expect((err as Error).message).toMatch(/\(content: Expected array, received string\)/);
  });

  it('a real message still passes the check untouched', async () => {
    fakeA = await startFakeAnthropic([{ content: [text('fine'), toolUse('bash', { command: 'ls' }, 'toolu_1')] }]);
    const m = await createAnthropicClient({ apiKey: 'k', baseURL: fakeA.url }).createMessage({
      ...req,
      model: 'claude-haiku-4-5',
    });
    expect(m.content).toEqual([
      { type: 'text', text: 'fine', citations: null },
      { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' } },
    ]);
  });
});
