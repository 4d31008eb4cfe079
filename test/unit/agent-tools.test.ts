import { HarnessConfigSchema, type Harness } from '../../src/harness/schema';
import { createSession } from '../../src/agent/session';
import { bashTool, editFileTool, finishTool, readFileTool, writeFileTool } from '../../src/agent/tools/builtin';
import { customTool, toolEnv } from '../../src/agent/tools/custom';
import { firstInputProblem } from '../../src/util/json-schema';
import { ToolRegistry } from '../../src/agent/tools/registry';
import { truncateMiddle } from '../../src/agent/tools/format';
import { subagentToolset } from '../../src/agent/toolset';
import { MemorySandbox } from '../support/memory-sandbox';

const opts = { bashTimeoutSec: 120, maxOutputBytes: 1024 };
const setup = () => {
  const sb = new MemorySandbox('/app');
  const session = createSession(sb, Date.now() + 60_000, new AbortController().signal);
  const registry = new ToolRegistry([
    bashTool(opts),
    readFileTool(opts),
    writeFileTool(),
    editFileTool(),
    finishTool(),
  ]);
  const call = (name: string, input: unknown) => registry.dispatch({ id: 'toolu_1', name, input }, session);
  return { sb, session, call };
};

describe('built-in tool input validation', () => {
  it.each([
    ['bash', {}, /command: Required/],
    ['bash', { command: 42 }, /command: Expected string, received number/],
    ['read_file', { file: 'x' }, /path: Required/],
    ['write_file', { path: '/a' }, /content: Required/],
    ['edit_file', { path: '/a', old_string: '', new_string: 'x' }, /old_string/],
    ['finish', 'done', /Expected object/],
  ])('%s with %j is an error result, not a throw', async (name, input, msg) => {
    const { call, sb } = setup();
    const out = await call(name, input);
    expect(out.isError).toBe(true);
    expect(out.content).toMatch(msg);
    expect(sb.execs).toHaveLength(0);
  });

  it('reports unknown tools with the list of available ones', async () => {
    const out = await setup().call('nope', {});
    expect(out).toMatchObject({ isError: true });
    expect(out.content).toMatch(/Unknown tool "nope".*bash, read_file, write_file, edit_file, finish/);
  });
});

describe('file tools', () => {
  it('resolves relative paths against the sandbox working directory', async () => {
    const { call, sb } = setup();
    expect((await call('write_file', { path: 'src/a.txt', content: 'one two two' })).isError).toBe(false);
    expect(sb.text('/app/src/a.txt')).toBe('one two two');
    expect((await call('read_file', { path: '/app/src/a.txt' })).content).toBe('one two two');
  });

  it('edit_file requires exactly one match and keeps the file mode', async () => {
    const { call, sb } = setup();
    await sb.putFile('/app/run.sh', 'echo two two\necho one\n', 0o755);
    const twice = await call('edit_file', { path: 'run.sh', old_string: 'two', new_string: '2' });
    expect(twice).toMatchObject({ isError: true });
    expect(twice.content).toMatch(/matches 2 times/);
    const none = await call('edit_file', { path: 'run.sh', old_string: 'three', new_string: '3' });
    expect(none.content).toMatch(/not found/);
    const ok = await call('edit_file', { path: 'run.sh', old_string: 'one', new_string: 'uno' });
    expect(ok.isError).toBe(false);
    expect(sb.files.get('/app/run.sh')).toMatchObject({ mode: 0o755 });
    expect(sb.text('/app/run.sh')).toBe('echo two two\necho uno\n');
    expect((await call('read_file', { path: 'missing.txt' })).isError).toBe(true);
  });

  it('bash reports exit code and stderr, capped by the deadline', async () => {
    const { call, sb } = setup();
    const out = await call('bash', { command: 'cat nothing' });
    expect(out.content).toMatch(/\[stderr\]\ncat: nothing: No such file or directory\n\[exit code: 1\]/);
    // 120 s configured, but only ~60 s remain before the deadline.
    expect(sb.execs[0]!.opts.maxOutputBytes).toBe(1024);
    expect(sb.execs[0]!.opts.timeoutSec).toBeGreaterThanOrEqual(55);
    expect(sb.execs[0]!.opts.timeoutSec).toBeLessThanOrEqual(60);
  });

  it('finish returns its summary', async () => {
    expect(await setup().call('finish', { summary: 'all good' })).toMatchObject({
      isError: false,
      finish: { summary: 'all good' },
    });
  });
});

describe('custom tools', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      count: { type: 'integer' },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['name'],
  };

  it('firstInputProblem reports the first problem with its path', () => {
    expect(firstInputProblem(schema, { name: 'x', count: 2, tags: ['a'] })).toBeNull();
    expect(firstInputProblem(schema, {})).toBe('input.name: required field is missing');
    expect(firstInputProblem(schema, { name: 1 })).toBe('input.name: expected string, got number');
    expect(firstInputProblem(schema, { name: 'x', count: 1.5 })).toBe('input.count: expected integer, got number');
    expect(firstInputProblem(schema, { name: 'x', tags: ['a', 3] })).toBe('input.tags[1]: expected string, got number');
    expect(firstInputProblem({ ...schema, additionalProperties: false }, { name: 'x', extra: 1 })).toBe(
      'input.extra: unknown field',
    );
    expect(firstInputProblem({ enum: ['a', 'b'] }, 'c')).toBe('input: must be one of "a", "b"');
  });

  it('passes the input as TOOL_INPUT and scalar TOOL_ARG_* env vars', async () => {
    expect(toolEnv({ name: 'x', 'max-count': 3, flag: true, list: [1] })).toEqual({
      TOOL_INPUT: '{"name":"x","max-count":3,"flag":true,"list":[1]}',
      TOOL_ARG_NAME: 'x',
      TOOL_ARG_MAX_COUNT: '3',
      TOOL_ARG_FLAG: 'true',
    });
    const sb = new MemorySandbox();
    const session = createSession(sb, Date.now() + 60_000, new AbortController().signal);
    const tool = customTool(
      { name: 'greet', description: 'd', inputSchema: schema, command: 'env', timeoutSec: 5 },
      1000,
    );
    const bad = await tool.invoke({ count: 1 }, session, { id: 't', name: 'greet' });
    expect(bad).toMatchObject({ isError: true });
    expect(bad.content).toMatch(/input.name: required/);
    const good = await tool.invoke({ name: 'bo' }, session, { id: 't', name: 'greet' });
    expect(good.content).toContain('TOOL_ARG_NAME=bo');
    expect(sb.execs.at(-1)!.opts.timeoutSec).toBe(5);
  });

  it('a sub-agent gets only the tools it lists, plus finish', () => {
    const harness: Harness = {
      dir: '/nonexistent',
      id: 'h-x',
      config: HarnessConfigSchema.parse({ model: 'm' }),
      systemTemplate: '',
      files: {},
      warnings: [],
      agents: [],
      tools: [{ name: 'greet', description: 'd', inputSchema: schema, command: 'env', timeoutSec: 5 }],
    };
    expect(subagentToolset(harness, ['read_file', 'greet', 'unknown']).names).toEqual(['read_file', 'greet', 'finish']);
  });
});

it('truncateMiddle keeps head and tail', () => {
  const s = 'a'.repeat(50) + 'b'.repeat(50);
  const t = truncateMiddle(s, 20);
  expect(t).toBe(`${'a'.repeat(10)}\n[... 80 bytes truncated ...]\n${'b'.repeat(10)}`);
  expect(truncateMiddle('short', 20)).toBe('short');
});
