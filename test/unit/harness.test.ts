/** Harness format v1: loading, defaults, warnings, cross-checks and the error messages a meta-agent sees. */
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { HarnessError } from '../../src/harness/errors';
import { writeHarnessFiles } from '../../src/harness/files';
import { loadHarness, validateHarness } from '../../src/harness/load';
import { renderSystemPrompt } from '../../src/harness/render';
import { useTmpDir } from '../support/tmp-dir';

const ROOT = join(__dirname, '..', '..');
const BASELINE = join(ROOT, 'benchmarks', 'harnesses', 'baseline');
const FULL = join(ROOT, 'test', 'fixtures', 'harnesses', 'full');

const tmp = useTmpDir('harness-test-');

const MIN_SYSTEM = 'Do the task: {{instruction}}\n';

async function make(files: Record<string, string>): Promise<string> {
  const dir = join(tmp(), 'h');
  await writeHarnessFiles(dir, { 'system.md': MIN_SYSTEM, ...files });
  return dir;
}

async function loadError(files: Record<string, string>): Promise<HarnessError> {
  const dir = await make(files);
  const err = await loadHarness(dir).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof HarnessError)) throw new Error(`expected HarnessError, got ${String(err)}`);
  return err;
}

describe('loadHarness on the shipped harnesses', () => {
  test('baseline: model, limits, all built-ins, no warnings', async () => {
    const h = await loadHarness(BASELINE);
    expect(h.config).toMatchObject({ model: 'claude-sonnet-4-6', maxTurns: 40, maxTokens: 8192, thinkingBudget: 0 });
    expect(h.config.tools).toEqual(['bash', 'read_file', 'write_file', 'edit_file']);
    expect(h.config.orchestration).toEqual({ planFirst: false, verify: null });
    expect(h.warnings).toEqual([]);
    expect(h.systemTemplate).toContain('{{instruction}}');
    expect(h.id).toMatch(/^h-[0-9a-f]{16}$/);
    expect(Object.keys(h.files).sort()).toEqual(['harness.yaml', 'system.md']);
  });

  test('full fixture: include, custom tool, verifier sub-agent, orchestration', async () => {
    const h = await loadHarness(FULL);
    expect(h.warnings).toEqual([]);
    expect(h.config.thinkingBudget).toBe(1024);
    expect(h.config.bash).toEqual({ timeoutSec: 60, maxOutputBytes: 8192 });
    expect(h.config.orchestration).toEqual({ planFirst: true, verify: { agent: 'verifier', maxRounds: 2 } });
    expect(h.systemTemplate).toContain('## Rules');
    expect(h.systemTemplate).not.toContain('{{include');
    expect(h.tools).toEqual([
      {
        name: 'count_lines',
        description: expect.stringContaining('Count the lines'),
        inputSchema: {
          type: 'object',
          properties: { path: { type: 'string', description: 'Absolute path of the file.' } },
          required: ['path'],
        },
        command: 'bash /opt/autoagent/harness/tools/count_lines.sh',
        timeoutSec: 30,
      },
    ]);
    expect(h.agents).toHaveLength(1);
    expect(h.agents[0]).toMatchObject({
      name: 'verifier',
      model: null,
      tools: ['bash', 'read_file', 'count_lines'],
      maxTurns: 8,
    });
    expect(h.agents[0]?.prompt.startsWith('You are a strict reviewer.')).toBe(true);
  });

  test('id is stable across loads and changes with any byte', async () => {
    const a = await loadHarness(BASELINE);
    const b = await loadHarness(BASELINE);
    expect(a.id).toBe(b.id);
    const dir = await make({ 'harness.yaml': 'model: m\n' });
    const before = (await loadHarness(dir)).id;
    await writeFile(join(dir, 'system.md'), MIN_SYSTEM + ' ');
    expect((await loadHarness(dir)).id).not.toBe(before);
  });
});

describe('defaults and warnings', () => {
  test('a harness.yaml with only a model gets every default', async () => {
    const h = await loadHarness(await make({ 'harness.yaml': 'model: claude-x\n' }));
    expect(h.config).toEqual({
      model: 'claude-x',
      maxTurns: 30,
      maxTokens: 8192,
      thinkingBudget: 0,
      system: 'system.md',
      tools: ['bash', 'read_file', 'write_file', 'edit_file'],
      bash: { timeoutSec: 120, maxOutputBytes: 16384 },
      orchestration: { planFirst: false, verify: null },
    });
    expect(h.tools).toEqual([]);
    expect(h.agents).toEqual([]);
  });

  test('temperature, which never reached the model, is accepted with a warning saying so, and not kept', async () => {
    const h = await loadHarness(await make({ 'harness.yaml': 'model: m\ntemperature: 0.2\nthinkingBudget: 2048\n' }));
    expect(h.warnings).toEqual([
      expect.stringMatching(/^harness\.yaml: temperature: ignored — no sampling parameter reaches the model/),
    ]);
    expect(h.config).not.toHaveProperty('temperature');
  });

  test('unknown keys are tolerated, dropped and reported (with a camelCase hint)', async () => {
    const h = await loadHarness(
      await make({
        'harness.yaml': 'model: m\nmax_turns: 5\nbash:\n  colour: red\norchestration:\n  verify: null\n  extra: 1\n',
      }),
    );
    expect(h.config.maxTurns).toBe(30);
    expect(h.warnings).toEqual([
      'harness.yaml: max_turns: unknown key ignored (did you mean maxTurns?)',
      'harness.yaml: bash.colour: unknown key ignored',
      'harness.yaml: orchestration.extra: unknown key ignored',
    ]);
    expect(h.config).not.toHaveProperty('max_turns');
  });

  test('a system prompt without {{instruction}} loads with a warning', async () => {
    const h = await loadHarness(await make({ 'harness.yaml': 'model: m\n', 'system.md': 'no placeholder' }));
    expect(h.warnings).toEqual([expect.stringContaining('system.md: no {{instruction}} placeholder')]);
  });
});

describe('errors name the file and the field', () => {
  const verifier = '---\ndescription: checks\n---\nCheck it.\n';
  const tool = (extra = '') => `description: t\ninput_schema:\n  type: object\ncommand: echo hi\n${extra}`;
  const cases: [string, Record<string, string>, string][] = [
    ['missing harness.yaml', {}, 'harness.yaml: file not found'],
    ['missing model', { 'harness.yaml': 'maxTurns: 3\n' }, 'harness.yaml: model: Required'],
    [
      'wrong type',
      { 'harness.yaml': 'model: m\nmaxTurns: lots\n' },
      'harness.yaml: maxTurns: Expected number, received string',
    ],
    [
      'unknown built-in',
      { 'harness.yaml': 'model: m\ntools: [bash, browser]\n' },
      'harness.yaml: tools.1: Invalid enum value',
    ],
    [
      'thinking too small',
      { 'harness.yaml': 'model: m\nthinkingBudget: 500\n' },
      'harness.yaml: thinkingBudget: must be 0 (off) or >= 1024',
    ],
    [
      'thinking >= maxTokens',
      { 'harness.yaml': 'model: m\nthinkingBudget: 4096\nmaxTokens: 4096\n' },
      'harness.yaml: thinkingBudget: must be less than maxTokens (4096)',
    ],
    ['invalid YAML', { 'harness.yaml': 'model: [unclosed\n' }, 'harness.yaml: invalid YAML'],
    ['not a mapping', { 'harness.yaml': '- a\n- b\n' }, 'harness.yaml: expected a YAML mapping'],
    [
      'system file missing',
      { 'harness.yaml': 'model: m\nsystem: prompt.md\n' },
      'harness.yaml: system: file not found: prompt.md',
    ],
    [
      'verify agent missing',
      { 'harness.yaml': 'model: m\norchestration:\n  verify:\n    agent: checker\n', 'agents/reviewer.md': verifier },
      'harness.yaml: orchestration.verify.agent: no sub-agent named "checker" (agents/: reviewer)',
    ],
    [
      'verify agent with no agents',
      { 'harness.yaml': 'model: m\norchestration:\n  verify:\n    agent: checker\n' },
      'harness.yaml: orchestration.verify.agent: no sub-agent named "checker" (agents/: none)',
    ],
    [
      'include missing',
      { 'harness.yaml': 'model: m\n', 'system.md': '{{instruction}} {{include parts/a.md}}' },
      'system.md: {{include parts/a.md}}: file not found: parts/a.md',
    ],
    [
      'include cycle',
      {
        'harness.yaml': 'model: m\n',
        'system.md': '{{instruction}} {{include p/a.md}}',
        'p/a.md': '{{include b.md}}',
        'p/b.md': '{{include a.md}}',
      },
      'p/b.md: {{include a.md}}: include cycle: system.md -> p/a.md -> p/b.md -> p/a.md',
    ],
    [
      'include escapes',
      { 'harness.yaml': 'model: m\n', 'system.md': '{{include ../x.md}}' },
      'system.md: {{include ../x.md}}: include path must stay inside',
    ],
    [
      'tool name pattern',
      { 'harness.yaml': 'model: m\n', 'tools/9lives.yaml': tool() },
      'tools/9lives.yaml: name: tool name "9lives" must match',
    ],
    [
      'tool clashes with built-in',
      { 'harness.yaml': 'model: m\n', 'tools/bash.yaml': tool() },
      'tools/bash.yaml: name: "bash" is a built-in tool name',
    ],
    [
      'tool named like a sub-agent tool',
      { 'harness.yaml': 'model: m\n', 'tools/agent_x.yaml': tool() },
      'tools/agent_x.yaml: name: names starting with "agent_" are reserved',
    ],
    [
      'tool schema not an object',
      { 'harness.yaml': 'model: m\n', 'tools/t.yaml': 'description: t\ninput_schema:\n  type: array\ncommand: x\n' },
      'tools/t.yaml: input_schema.type: Invalid literal value, expected "object"',
    ],
    [
      'tool without command',
      { 'harness.yaml': 'model: m\n', 'tools/t.yaml': 'description: t\ninput_schema:\n  type: object\n' },
      'tools/t.yaml: command: Required',
    ],
    [
      'tool script missing',
      {
        'harness.yaml': 'model: m\n',
        'tools/t.yaml':
          'description: t\ninput_schema: {type: object}\ncommand: python3 /opt/autoagent/harness/tools/t.py\n',
      },
      'tools/t.yaml: command: references /opt/autoagent/harness/tools/t.py but tools/t.py does not exist',
    ],
    [
      'agent without front-matter',
      { 'harness.yaml': 'model: m\n', 'agents/a.md': 'Just a prompt.' },
      'agents/a.md: front-matter: missing',
    ],
    [
      'agent without description',
      { 'harness.yaml': 'model: m\n', 'agents/a.md': '---\nmodel: x\n---\nPrompt.\n' },
      'agents/a.md: description: Required',
    ],
    [
      'agent with empty body',
      { 'harness.yaml': 'model: m\n', 'agents/a.md': '---\ndescription: d\n---\n\n' },
      'agents/a.md: body: empty',
    ],
    [
      'agent with unknown tool',
      { 'harness.yaml': 'model: m\n', 'agents/a.md': '---\ndescription: d\ntools: [bash, grep]\n---\nP\n' },
      'agents/a.md: tools.1: unknown tool "grep" (known: bash, read_file, write_file, edit_file)',
    ],
    [
      'agent clashes with tool',
      { 'harness.yaml': 'model: m\n', 'tools/x.yaml': tool(), 'agents/x.md': verifier },
      'agents/x.md: name: clashes with custom tool tools/x.yaml',
    ],
  ];

  test.each(cases)('%s', async (_label, files, expected) => {
    const err = await loadError(files);
    expect(err.name).toBe('HarnessError');
    expect(err.message.startsWith(expected)).toBe(true);
    expect(err.message.startsWith(`${err.file}: `)).toBe(true);
  });

  test('file and field are set on the error object', async () => {
    const err = await loadError({ 'harness.yaml': 'model: m\nbash:\n  timeoutSec: 0\n' });
    expect([err.file, err.field]).toEqual(['harness.yaml', 'bash.timeoutSec']);
  });

  test('non-UTF-8 files are rejected by name', async () => {
    const dir = await make({ 'harness.yaml': 'model: m\n' });
    await mkdir(join(dir, 'tools'), { recursive: true });
    await writeFile(join(dir, 'tools', 'blob.bin'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
    await expect(loadHarness(dir)).rejects.toThrow('tools/blob.bin: not a UTF-8 text file');
  });
});

describe('sub-agents', () => {
  test('defaults: harness model, enabled built-ins, 15 turns; finish is dropped', async () => {
    const h = await loadHarness(
      await make({
        'harness.yaml': 'model: m\ntools: [bash, read_file]\n',
        'agents/a.md': '---\ndescription: d\n---\nPrompt A\n',
        'agents/b.md':
          '---\ndescription: d\nmodel: claude-haiku\ntools: [finish, edit_file]\nmaxTurns: 3\n---\nPrompt B\n',
      }),
    );
    expect(h.agents).toEqual([
      { name: 'a', description: 'd', model: null, tools: ['bash', 'read_file'], maxTurns: 15, prompt: 'Prompt A' },
      { name: 'b', description: 'd', model: 'claude-haiku', tools: ['edit_file'], maxTurns: 3, prompt: 'Prompt B' },
    ]);
  });
});

describe('validateHarness', () => {
  test('never throws: a missing folder is ok:false with a reason', async () => {
    const r = await validateHarness(join(tmp(), 'does-not-exist'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('cannot read harness folder');
  });

  test('a bad harness is ok:false with the HarnessError message', async () => {
    const dir = await make({ 'harness.yaml': 'model: m\norchestration:\n  verify: {agent: nobody}\n' });
    expect(await validateHarness(dir)).toEqual({
      ok: false,
      error: 'harness.yaml: orchestration.verify.agent: no sub-agent named "nobody" (agents/: none)',
    });
  });

  test('a good harness is ok:true with the loaded harness', async () => {
    const r = await validateHarness(FULL);
    expect(r.ok && r.harness.agents.map((a) => a.name)).toEqual(['verifier']);
  });
});

describe('renderSystemPrompt', () => {
  test('fills placeholders once, without re-expanding the instruction', async () => {
    const dir = await make({
      'harness.yaml': 'model: m\n',
      'system.md': 'Task {{ task_name }}:\n{{instruction}}\n{{other}}',
    });
    const h = await loadHarness(dir);
    const out = renderSystemPrompt(h, { instruction: 'print {{task_name}} and $1', taskName: 'hello-world' });
    expect(out).toBe('Task hello-world:\nprint {{task_name}} and $1\n{{other}}');
  });

  test('baseline renders the instruction in', async () => {
    const h = await loadHarness(BASELINE);
    const out = renderSystemPrompt(h, { instruction: 'Create /app/hello.txt', taskName: 'hello' });
    expect(out).toContain('Create /app/hello.txt');
    expect(out).not.toMatch(/\{\{/);
  });
});

// keep helper used by other describe blocks honest about paths
test('make() writes nested files', async () => {
  const dir = await make({ 'harness.yaml': 'model: m\n', 'a/b/c.md': 'x' });
  expect(dirname(join(dir, 'a/b/c.md'))).toBe(join(dir, 'a', 'b'));
  expect((await loadHarness(dir)).files['a/b/c.md']).toBe('x');
});
