/**
 * The Messages ⇄ Chat Completions translation, both ways, on plain values: system flattening, tool
 * definitions and choice, tool_use ⇄ tool_calls (malformed arguments kept verbatim), tool results with
 * is_error, thinking dropped on the way out and reasoning_content kept on the way in, usage and stop reasons.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { LlmBadResponseError } from '../../src/llm/errors';
import { TOOL_ERROR_PREFIX, toChatRequest } from '../../src/llm/openai/request';
import { fromChatCompletion, parseArguments, stopReason } from '../../src/llm/openai/response';
import { validateChatRequest } from '../../src/llm/fake-openai/validate';
import { maxTokensFieldFor } from '../../src/llm/openai-client';

const tools: Anthropic.Tool[] = [
  {
    name: 'bash',
    description: 'Run a command.',
    input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
  {
    name: 'finish',
    description: 'Done.',
    input_schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
  },
];

const conversation: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'qwen2.5-coder',
  max_tokens: 512,
  system: [
    { type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } },
    { type: 'text', text: 'Be brief.' },
  ],
  tools,
  tool_choice: { type: 'auto' },
  thinking: { type: 'enabled', budget_tokens: 1024 },
  messages: [
    { role: 'user', content: 'List files.' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should run ls.', signature: 'sig' },
        { type: 'text', text: 'Running ls.' },
        { type: 'tool_use', id: 'call_1', name: 'bash', input: { command: 'ls' } },
        { type: 'tool_use', id: 'call_2', name: 'bash', input: '{"command": "ls -' },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'a.txt\n[exit code: 0]' },
        {
          type: 'tool_result',
          tool_use_id: 'call_2',
          content: [{ type: 'text', text: 'Invalid input' }],
          is_error: true,
          cache_control: { type: 'ephemeral' },
        },
        { type: 'text', text: 'Keep going.' },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'call_3', name: 'finish', input: { summary: 'done' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_3', content: '' }] },
  ],
};

describe('Messages request → Chat Completions request', () => {
  const out = toChatRequest(conversation);

  it('flattens the system blocks into one system message and keeps the model and max_tokens', () => {
    expect(out.model).toBe('qwen2.5-coder');
    expect(out.max_tokens).toBe(512);
    expect(out.messages[0]).toEqual({ role: 'system', content: 'You are an agent.\n\nBe brief.' });
    expect(out.stream).toBe(false);
  });

  it('turns tool definitions into function tools and tool_choice auto into "auto"', () => {
    expect(out.tools).toEqual([
      {
        type: 'function',
        function: { name: 'bash', description: 'Run a command.', parameters: tools[0]!.input_schema },
      },
      { type: 'function', function: { name: 'finish', description: 'Done.', parameters: tools[1]!.input_schema } },
    ]);
    expect(out.tool_choice).toBe('auto');
  });

  it('maps assistant text and tool_use to content and tool_calls, dropping thinking, keeping malformed arguments verbatim', () => {
    expect(out.messages[2]).toEqual({
      role: 'assistant',
      content: 'Running ls.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } },
        { id: 'call_2', type: 'function', function: { name: 'bash', arguments: '{"command": "ls -' } },
      ],
    });
    expect(out.messages[6]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'finish', arguments: '{"summary":"done"}' } }],
    });
  });

  it('sends tool results as tool messages right after the calls (is_error as a prefix), then the user text', () => {
    expect(out.messages.slice(3, 5)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: 'a.txt\n[exit code: 0]' },
      { role: 'tool', tool_call_id: 'call_2', content: `${TOOL_ERROR_PREFIX}Invalid input` },
    ]);
    expect(out.messages[5]).toEqual({ role: 'user', content: 'Keep going.' });
    expect(out.messages[7]).toEqual({ role: 'tool', tool_call_id: 'call_3', content: '(no output)' });
    expect(out.messages).toHaveLength(8);
  });

  it("leaves no Messages API field behind: the fake server's strict check accepts it", () => {
    expect(validateChatRequest(JSON.parse(JSON.stringify(out)))).toBeNull();
    expect(JSON.stringify(out)).not.toMatch(/cache_control|input_schema|budget_tokens|tool_use_id|"thinking"/);
  });

  it.each([
    [{ type: 'any' } as const, 'required'],
    [{ type: 'none' } as const, 'none'],
    [{ type: 'tool', name: 'finish' } as const, { type: 'function', function: { name: 'finish' } }],
  ])('maps tool_choice %j', (choice, expected) => {
    expect(toChatRequest({ ...conversation, tool_choice: choice }).tool_choice).toEqual(expected);
  });

  it('sends the output cap as max_completion_tokens to OpenAI itself, as max_tokens elsewhere', () => {
    const own = toChatRequest(conversation, { maxTokensField: maxTokensFieldFor('https://api.openai.com/v1') });
    expect([own.max_completion_tokens, own.max_tokens]).toEqual([512, undefined]);
    for (const url of [
      'http://127.0.0.1:11434/v1',
      'http://localhost:8000/v1',
      'https://openrouter.ai/api/v1',
      'not a url',
    ]) {
      expect(maxTokensFieldFor(url)).toBe('max_tokens');
    }
  });

  it('maps disable_parallel_tool_use to parallel_tool_calls: false and omits tools when there are none', () => {
    expect(
      toChatRequest({ ...conversation, tool_choice: { type: 'auto', disable_parallel_tool_use: true } })
        .parallel_tool_calls,
    ).toBe(false);
    const bare = toChatRequest({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(bare).toEqual({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: false });
  });
});

const completion = (
  message: Record<string, unknown>,
  finish: string | null,
  usage?: Record<string, unknown>,
): unknown => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'served-name',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  ...(usage ? { usage } : {}),
});

describe('Chat Completions response → Message', () => {
  it('maps text, reasoning_content, tool calls and cached usage', () => {
    const m = fromChatCompletion(
      completion(
        {
          content: 'Let me look.',
          reasoning_content: 'think first',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }],
        },
        'tool_calls',
        { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 } },
      ),
      'req-model',
    );
    expect(m).toMatchObject({ type: 'message', role: 'assistant', model: 'served-name', stop_reason: 'tool_use' });
    expect(m.content).toEqual([
      { type: 'thinking', thinking: 'think first', signature: '' },
      { type: 'text', text: 'Let me look.', citations: null },
      { type: 'tool_use', id: 'c1', name: 'bash', input: { command: 'ls' }, caller: { type: 'direct' } },
    ]);
    expect(m.usage).toMatchObject({
      input_tokens: 20,
      cache_read_input_tokens: 100,
      output_tokens: 30,
      cache_creation_input_tokens: 0,
    });
  });

  it('keeps malformed arguments as the raw string, and empty ones as {}', () => {
    expect(parseArguments('{"command": "ls')).toBe('{"command": "ls');
    expect(parseArguments('')).toEqual({});
    expect(parseArguments(null)).toEqual({});
    expect(parseArguments('{"a":1}')).toEqual({ a: 1 });
    const m = fromChatCompletion(
      completion({ content: null, tool_calls: [{ function: { name: 'bash', arguments: 'not json' } }] }, 'tool_calls'),
      'm',
    );
    expect(m.content[0]).toMatchObject({ type: 'tool_use', name: 'bash', input: 'not json' });
    expect((m.content[0] as Anthropic.ToolUseBlock).id).toMatch(/\S/);
  });

  it.each([
    ['stop', false, 'end_turn'],
    ['stop', true, 'tool_use'],
    ['tool_calls', true, 'tool_use'],
    ['length', true, 'max_tokens'],
    ['content_filter', false, 'refusal'],
    [null, false, 'end_turn'],
  ])('finish_reason %s (tool calls: %s) → %s', (finish, calls, expected) => {
    expect(stopReason(finish, calls)).toBe(expected);
  });

  it('uses a refusal as the text, the request model when none is given, and zero usage when absent', () => {
    const m = fromChatCompletion(
      { choices: [{ message: { content: null, refusal: 'I cannot help.' }, finish_reason: 'stop' }] },
      'req-model',
    );
    expect(m.model).toBe('req-model');
    expect(m.content).toEqual([{ type: 'text', text: 'I cannot help.', citations: null }]);
    expect(m.usage).toMatchObject({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 });
  });

  it.each([
    [{}, /choices: Required/],
    ['<html><body>502 Bad Gateway</body></html>', /a string that is not a chat completion.*502 Bad Gateway/],
    [{ choices: [] }, /choices: Array must contain at least 1/],
    [{ choices: [{ message: { content: 5 } }] }, /choices\.0\.message\.content/],
  ])('a body that is not a chat completion (%j) is an LlmBadResponseError', (body, message) => {
    let err: unknown;
    try {
      fromChatCompletion(body, 'm');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LlmBadResponseError);
    expect(err).toMatchObject({ name: 'LlmBadResponseError', retryable: true, fault: 'outage', status: 200 });
    expect((err as Error).message).toMatch(message);
  });
});
