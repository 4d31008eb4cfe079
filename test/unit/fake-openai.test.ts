/**
 * The fake Chat Completions server itself: its request check catches what real OpenAI-compatible servers
 * reject (so a translation bug cannot pass the provider tests silently), it answers in OpenAI's formats,
 * and scripts with raw replies load from files like the fake Messages API's.
 */
import { startFakeOpenAi, type FakeOpenAi } from '../../src/llm/fake-openai/server';
import { validateChatRequest } from '../../src/llm/fake-openai/validate';
import { loadScriptFile, ScriptFileError } from '../support/fake-anthropic';

const ok = {
  model: 'm',
  max_tokens: 10,
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'hi' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{}' } }],
    },
    { role: 'tool', tool_call_id: 'c1', content: 'out' },
    { role: 'user', content: [{ type: 'text', text: 'more' }] },
  ],
  tools: [{ type: 'function', function: { name: 'bash', parameters: { type: 'object', properties: {} } } }],
  tool_choice: 'auto',
};
type Req = typeof ok & Record<string, unknown>;
const variant = (f: (r: Req) => void): unknown => {
  const r = JSON.parse(JSON.stringify(ok)) as Req;
  f(r);
  return r;
};

describe('validateChatRequest', () => {
  it('accepts a well-formed tool conversation', () => {
    expect(validateChatRequest(ok)).toBeNull();
  });

  it.each<[string, (r: Req) => void, RegExp]>([
    ['no model', (r) => void (r.model = ''), /^model:/],
    ['streaming', (r) => void (r['stream'] = true), /^stream:/],
    ['a top-level system field', (r) => void (r['system'] = 'sys'), /^system: unrecognized/],
    [
      'cache_control left in',
      (r) => void ((r.messages[1] as Record<string, unknown>)['cache_control'] = { type: 'ephemeral' }),
      /"cache_control":/,
    ],
    [
      'an Anthropic tool definition',
      (r) => void (r.tools = [{ name: 'bash', input_schema: { type: 'object' } }] as never),
      /"input_schema":/,
    ],
    [
      'a tool call left unanswered',
      (r) => void r.messages.splice(3, 1),
      /messages\.3: tool_call_ids did not have response messages: c1/,
    ],
    [
      'a tool message answering nothing',
      (r) => void ((r.messages[3] as Record<string, unknown>)['tool_call_id'] = 'c9'),
      /messages\.3: a 'tool' message must answer/,
    ],
    [
      'a system message later on',
      (r) => void r.messages.push({ role: 'system', content: 'late' }),
      /messages\.5\.role: the system message must come first/,
    ],
    [
      'arguments as an object',
      (r) =>
        void ((r.messages[2] as { tool_calls: { function: Record<string, unknown> }[] }).tool_calls[0]!.function[
          'arguments'
        ] = {}),
      /function\.arguments: expected a JSON string/,
    ],
    [
      'assistant without content or calls',
      (r) => void (r.messages[2] = { role: 'assistant', content: null } as never),
      /messages\.2\.content: required unless tool_calls/,
    ],
    [
      'an unknown role',
      (r) => void ((r.messages[1] as Record<string, unknown>)['role'] = 'human'),
      /messages\.1\.role: expected one of/,
    ],
    ['a bad tool_choice', (r) => void (r.tool_choice = 'any'), /^tool_choice:/],
    [
      'a tool without an object schema',
      (r) => void (r.tools[0]!.function.parameters = { type: 'string' } as never),
      /tools\.0\.function\.parameters/,
    ],
  ])('rejects %s', (_what, change, message) => {
    expect(validateChatRequest(variant(change))).toMatch(message);
  });
});

describe('the fake server over HTTP', () => {
  let fake: FakeOpenAi | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer k' }): Promise<Response> =>
    fetch(`${fake!.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it("answers 401 without a bearer key, 400 with OpenAI's error body on a bad request, 404 elsewhere", async () => {
    fake = await startFakeOpenAi([]);
    expect((await post(ok, {})).status).toBe(401);
    const bad = await post({ ...ok, messages: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        message: 'messages: expected a non-empty array',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    expect((await fetch(`${fake.url}/messages`, { method: 'POST' })).status).toBe(404);
    expect(fake.requests).toHaveLength(2); // the 404 is not an API call
  });

  it('says when the script is exhausted, and maps finish reasons and usage like a real server', async () => {
    fake = await startFakeOpenAi([
      {
        content: [{ type: 'text', text: 'cut' }],
        stop_reason: 'max_tokens',
        usage: { input_tokens: 4, cache_read_input_tokens: 6, output_tokens: 2 },
      },
    ]);
    const body = (await (await post(ok)).json()) as {
      choices: { finish_reason: string; message: { content: string } }[];
      usage: Record<string, unknown>;
    };
    expect(body.choices[0]).toMatchObject({ finish_reason: 'length', message: { content: 'cut' } });
    expect(body.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 2,
      total_tokens: 12,
      prompt_tokens_details: { cached_tokens: 6 },
    });
    const done = await post(ok);
    expect(done.status).toBe(400);
    expect(JSON.stringify(await done.json())).toContain('script exhausted at call 1');
  });
});

describe('script files with raw replies', () => {
  it('loads a raw reply and names a bad field', () => {
    expect(
      loadScriptFile([{ raw: '{}' }, { raw: '<html>', status: 200, contentType: 'text/html' }], 's.json').replies,
    ).toHaveLength(2);
    expect(() => loadScriptFile([{ content: [] }, { raw: 5 }], 's.json')).toThrow(ScriptFileError);
    expect(() => loadScriptFile([{ content: [] }, { raw: 5 }], 's.json')).toThrow(/^s\.json: 1\.raw: /);
  });
});

describe('down() and up()', () => {
  it('refuses connections while down and answers again on the same port once up', async () => {
    const f = await startFakeOpenAi(() => ({ content: [{ type: 'text', text: 'back' }] }));
    try {
      const post = (): Promise<Response> =>
        fetch(`${f.url}/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
          body: JSON.stringify(ok),
        });
      await f.down();
      await expect(post()).rejects.toThrow();
      await f.up();
      expect((await post()).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});
