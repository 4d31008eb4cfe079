/**
 * The local model's translation layer without a model: Messages requests → chat turns (tools described,
 * earlier calls shown as the fenced JSON the model is asked to write, results as user turns), answers →
 * tool_use blocks (fenced, <tool_call>, bare JSON; broken JSON reported through the tool's input check),
 * stop reasons and usage, the tool-call grammar schema, and the weights resolution rule with its errors.
 * The real model through the same code is test/e2e/local-model.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { LlmModelNotFoundError } from '../../src/llm/errors';
import { toMessage } from '../../src/llm/local-client';
import { toGbnfSchema, toolCallSchema } from '../../src/llm/local/grammar';
import { LOCAL_CATALOGUE, resolveLocalModel } from '../../src/llm/local/models';
import { parseAnswer } from '../../src/llm/local/parse';
import { REPEAT_NOTE, renderToolCall, toChatTurns } from '../../src/llm/local/prompt';

const bash: Anthropic.Tool = {
  name: 'bash',
  description: 'Run a command.',
  input_schema: {
    type: 'object',
    properties: { command: { type: 'string', description: 'The command to run.' } },
    required: ['command'],
  },
};
const finish: Anthropic.Tool = {
  name: 'finish',
  description: 'Done.',
  input_schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
};

describe('request → chat turns', () => {
  it('describes the tools, replays calls as fenced JSON and results as user turns', () => {
    const turns = toChatTurns({
      model: 'x',
      max_tokens: 10,
      system: [{ type: 'text', text: 'SYS' }],
      tools: [bash, finish],
      messages: [
        { role: 'user', content: 'do it' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', id: 't1', name: 'bash', input: { command: 'ls' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'a.txt' }] }],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't2', name: 'bash', input: { command: 'ls' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't2', content: 'boom', is_error: true },
            { type: 'text', text: 'keep going' },
          ],
        },
      ],
    });
    expect(turns.map((t) => t.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(turns[0]!.text).toMatch(/^SYS\n\n# Tools/);
    expect(turns[0]!.text).toContain(
      '## bash\nRun a command.\nArguments:\n- command (string, required): The command to run.',
    );
    expect(turns[0]!.text).toContain('call the `finish` tool, or answer in plain text');
    expect(turns[2]!.text).toBe(`Looking.\n\n${renderToolCall('bash', { command: 'ls' })}`);
    expect(turns[3]!.text).toBe('Result of bash:\na.txt');
    expect(turns[5]!.text).toBe(`Error from bash:\nboom\n\n${REPEAT_NOTE}\n\nkeep going`);
  });

  it('has no tool section without tools', () => {
    const turns = toChatTurns({
      model: 'x',
      max_tokens: 10,
      system: 'plain',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(turns).toEqual([
      { role: 'system', text: 'plain' },
      { role: 'user', text: 'hi' },
    ]);
  });
});

describe('answer → content blocks', () => {
  it('reads a fenced call, with the text around it', () => {
    const p = parseAnswer('I will list.\n```json\n{"name": "bash", "arguments": {"command": "ls -la"}}\n```');
    expect(p).toEqual({
      text: 'I will list.',
      calls: [{ name: 'bash', input: { command: 'ls -la' }, wellFormed: true }],
    });
  });

  it("reads Qwen's <tool_call>, a bare JSON answer and OpenAI-style string arguments", () => {
    expect(parseAnswer('<tool_call>\n{"name": "bash", "arguments": {"command": "pwd"}}\n</tool_call>').calls).toEqual([
      { name: 'bash', input: { command: 'pwd' }, wellFormed: true },
    ]);
    expect(parseAnswer('{"name": "finish", "parameters": {"summary": "ok"}}').calls).toEqual([
      { name: 'finish', input: { summary: 'ok' }, wellFormed: true },
    ]);
    expect(
      parseAnswer('```json\n{"name": "bash", "arguments": "{\\"command\\": \\"id\\"}"}\n```').calls[0]!.input,
    ).toEqual({ command: 'id' });
  });

  it('keeps broken JSON that names a tool as a call with the raw arguments, so the tool reports it', () => {
    const p = parseAnswer('```json\n{"name": "bash", "arguments": {"command": "echo "hi""}}\n```');
    expect(p.calls).toEqual([{ name: 'bash', input: '{"command": "echo "hi""}', wellFormed: false }]);
  });

  it('leaves ordinary code blocks and plain answers as text', () => {
    const p = parseAnswer('Done. The script:\n```bash\necho hi\n```');
    expect(p).toEqual({ text: 'Done. The script:\n```bash\necho hi\n```', calls: [] });
  });

  it('maps stop reasons and usage the Messages API way', () => {
    const base = { promptTokens: 100, reusedTokens: 60, completionTokens: 7 };
    const call = toMessage({ ...base, text: renderToolCall('bash', { command: 'ls' }), stop: 'call' }, 'm', true);
    expect(call.stop_reason).toBe('tool_use');
    expect(call.content).toEqual([
      {
        type: 'tool_use',
        id: expect.stringMatching(/^toolu_local_/),
        caller: { type: 'direct' },
        name: 'bash',
        input: { command: 'ls' },
      },
    ]);
    expect(call.usage).toMatchObject({ input_tokens: 40, cache_read_input_tokens: 60, output_tokens: 7 });
    expect(toMessage({ ...base, text: 'All done.', stop: 'eog' }, 'm', true).stop_reason).toBe('end_turn');
    expect(toMessage({ ...base, text: 'cut', stop: 'max_tokens' }, 'm', true).stop_reason).toBe('max_tokens');
    expect(toMessage({ ...base, text: '', stop: 'context' }, 'm', true).stop_reason).toBe(
      'model_context_window_exceeded',
    );
    // Without tools offered, JSON in the answer is just text.
    expect(toMessage({ ...base, text: '{"name": "bash"}', stop: 'eog' }, 'm', false).content).toEqual([
      { type: 'text', text: '{"name": "bash"}', citations: null },
    ]);
  });
});

describe('tool-call grammar schema', () => {
  it('lists the required arguments, allows optional ones as extras and says "any" for what it cannot express', () => {
    expect(toolCallSchema([bash])).toEqual({
      oneOf: [
        {
          type: 'object',
          properties: {
            name: { const: 'bash' },
            arguments: { type: 'object', properties: { command: { type: 'string' } }, additionalProperties: false },
          },
        },
      ],
    });
    const s = toGbnfSchema({
      type: 'object',
      properties: { a: { type: ['string', 'null'] }, b: { enum: [1, 2] }, c: { type: 'integer' } },
      required: ['a', 'b'],
    });
    expect(s).toEqual({
      type: 'object',
      properties: { a: { type: ['string', 'null'] }, b: { enum: [1, 2] } },
      additionalProperties: true,
    });
    expect(toGbnfSchema({ $ref: '#/x' })).toHaveProperty('oneOf');
  });
});

describe('local model resolution', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'aa-local-models-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the set-up command when the default weights are missing', () => {
    const env = { AUTOAGENT_MODELS_DIR: dir };
    expect(() => resolveLocalModel('default', env)).toThrow(LlmModelNotFoundError);
    expect(() => resolveLocalModel('default', env)).toThrow(/bash scripts\/setup\.sh/);
    expect(() => resolveLocalModel('no-such-model', env)).toThrow(/unknown local model "no-such-model"/);
    expect(() => resolveLocalModel('default', { AUTOAGENT_LOCAL_MODEL_PATH: path.join(dir, 'nope.gguf') })).toThrow(
      /AUTOAGENT_LOCAL_MODEL_PATH=.*nope\.gguf is not a file/,
    );
  });

  it('finds an installed catalogue model, a model by path, and the env override', async () => {
    const spec = LOCAL_CATALOGUE.models[LOCAL_CATALOGUE.default]!;
    await writeFile(path.join(dir, spec.file), 'GGUF');
    const other = path.join(dir, 'mine.gguf');
    await writeFile(other, 'GGUF');
    expect(resolveLocalModel('default', { AUTOAGENT_MODELS_DIR: dir })).toEqual({
      name: LOCAL_CATALOGUE.default,
      file: path.join(dir, spec.file),
    });
    expect(resolveLocalModel(other, {})).toEqual({ name: 'mine', file: other });
    expect(resolveLocalModel('default', { AUTOAGENT_LOCAL_MODEL_PATH: other })).toEqual({ name: 'mine', file: other });
  });
});
