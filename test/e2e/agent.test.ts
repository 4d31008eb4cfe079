/**
 * End-to-end agent runs: the real Anthropic SDK talks HTTP to the local fake Messages API, and the agent
 * acts on an in-memory sandbox. Each test scripts the model's replies and checks the sandbox, the
 * requests the model received, the outcome and the ATIF trajectory.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { PLAN_REQUEST } from '../../src/agent/orchestration';
import type { HostTool } from '../../src/agent/tools/host';
import {
  KEY,
  MODEL,
  closeFakes,
  makeHarness,
  runScripted,
  toolNames,
  toolResults,
  userTexts,
} from '../support/agent-run';
import { apiKeyOf, text, thinking, toolUse } from '../support/fake-anthropic';

afterEach(closeFakes);

const usage = { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50, cache_creation_input_tokens: 10 };
// Sonnet: (100*3 + 20*15 + 50*0.3 + 10*3.75) / 1e6 per call
const COST_PER_CALL = 652.5e-6;

describe('runHarnessAgent against the fake Messages API', () => {
  it('runs a scripted tool-use conversation to finish', async () => {
    const r = await runScripted([
      { content: [text('Creating the file.'), toolUse('bash', { command: 'echo hi > /app/out.txt' })], usage },
      { content: [toolUse('write_file', { path: 'notes.md', content: 'alpha\nbeta\n' })], usage },
      { content: [toolUse('edit_file', { path: '/app/notes.md', old_string: 'beta', new_string: 'gamma' })], usage },
      { content: [toolUse('finish', { summary: 'created both files' })], usage },
    ]);
    expect(r.outcome).toMatchObject({
      stopReason: 'finished',
      turns: 4,
      error: null,
      finalMessage: 'created both files',
    });
    expect(r.sb.text('/app/out.txt')).toBe('hi\n');
    expect(r.sb.text('/app/notes.md')).toBe('alpha\ngamma\n');

    const first = r.body(0);
    expect(first.model).toBe(MODEL);
    expect(toolNames(first)).toEqual(['bash', 'read_file', 'write_file', 'edit_file', 'finish']);
    expect(JSON.stringify(first.system)).toContain('You are a careful agent working on demo-task.');
    expect(first.messages[0]).toMatchObject({
      role: 'user',
      content: [{ type: 'text', text: 'Create out.txt and notes.md.' }],
    });
    const bashId = (r.body(1).messages[1]!.content as Anthropic.ToolUseBlockParam[]).find(
      (b) => b.type === 'tool_use',
    )!.id;
    expect(toolResults(r, 1)).toEqual([expect.objectContaining({ tool_use_id: bashId, content: '[exit code: 0]' })]);
    expect(toolResults(r, 3)[0]).toMatchObject({ content: 'Edited /app/notes.md (1 replacement).' });

    const t = r.recorder.toJSON();
    expect(t.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'agent', 'agent', 'agent']);
    expect(t.steps[2]).toMatchObject({
      message: 'Creating the file.',
      model_name: MODEL,
      tool_calls: [{ tool_call_id: bashId, function_name: 'bash', arguments: { command: 'echo hi > /app/out.txt' } }],
      observation: { results: [{ source_call_id: bashId, content: '[exit code: 0]' }] },
    });
    expect(t.steps[2]!.metrics!.cost_usd).toBeCloseTo(COST_PER_CALL, 12);

    expect(r.outcome.usage).toMatchObject({
      inputTokens: 400,
      outputTokens: 80,
      cacheReadTokens: 200,
      cacheWriteTokens: 40,
    });
    expect(r.outcome.usage.costUsd).toBeCloseTo(4 * COST_PER_CALL, 12);
  });

  it('retries 429 then 529 and succeeds, honouring retry-after', async () => {
    const r = await runScripted([
      { error: 'rate_limit', headers: { 'retry-after': '1' } },
      { error: 'overloaded', headers: { 'retry-after-ms': '10' } },
      { content: [toolUse('finish', { summary: 'ok' })] },
    ]);
    expect(r.outcome).toMatchObject({ stopReason: 'finished', turns: 1 });
    expect(r.fake.requests).toHaveLength(3);
    const [a, b] = r.fake.requests.map((q) => q.receivedAt);
    expect(b! - a!).toBeGreaterThanOrEqual(950);
  });

  it('throws a typed systemic error (never an outcome) when the API keeps failing past the SDK retries', async () => {
    const err = await runScripted([{ error: 'server' }, { error: 'server' }], makeHarness(), { maxRetries: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      name: 'LlmServerError',
      fault: 'outage',
      retryable: true,
      message: expect.stringMatching(/^Anthropic API 500 api_error/),
    });
  });

  it('reports malformed tool input and unknown tools as is_error results and continues', async () => {
    const r = await runScripted([
      { content: [toolUse('bash', { cmd: 'ls' }), toolUse('launch_rockets', {})] },
      { content: [toolUse('finish', { summary: 'recovered' })] },
    ]);
    expect(r.outcome).toMatchObject({ stopReason: 'finished', turns: 2 });
    const [bad, unknown] = toolResults(r, 1);
    expect(bad).toMatchObject({ is_error: true, content: 'Invalid input for tool "bash": command: Required' });
    expect(unknown).toMatchObject({ is_error: true });
    expect(unknown!.content).toMatch(/Unknown tool "launch_rockets"/);
    expect(r.sb.execs).toHaveLength(0);
    expect(r.recorder.toJSON().steps[2]!.observation!.results.map((x) => x.extra)).toEqual([
      { is_error: true },
      { is_error: true },
    ]);
  });

  it('a model that only says "done" ends with end_turn and no tool calls', async () => {
    const r = await runScripted([{ content: [text('done')] }]);
    expect(r.outcome).toMatchObject({ stopReason: 'end_turn', turns: 1, finalMessage: 'done', error: null });
    const steps = r.recorder.toJSON().steps;
    expect(steps.filter((s) => s.tool_calls?.length)).toHaveLength(0);
    expect(steps.at(-1)).toMatchObject({ source: 'agent', message: 'done' });
  });

  it('stops at maxTurns', async () => {
    const r = await runScripted(
      () => ({ content: [toolUse('bash', { command: 'pwd' })] }),
      makeHarness({ maxTurns: 3 }),
    );
    expect(r.outcome).toMatchObject({ stopReason: 'max_turns', turns: 3 });
    expect(r.fake.requests).toHaveLength(3);
  });

  it('continues once after max_tokens, then stops', async () => {
    const r = await runScripted([
      { content: [text('a very long')], stop_reason: 'max_tokens' },
      { content: [text('still too long'), toolUse('bash', { command: 'pwd' })], stop_reason: 'max_tokens' },
    ]);
    expect(r.outcome).toMatchObject({ stopReason: 'max_tokens', turns: 2 });
    expect(userTexts(r, 1)).toMatch(/max_tokens limit/);
    expect(r.body(1).messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(r.sb.execs).toHaveLength(0); // the cut-off tool call is dropped, not run
  });

  it('aborts an in-flight request at the deadline with stopReason timeout', async () => {
    const started = Date.now();
    const r = await runScripted([{ content: [text('too late')], delayMs: 10_000 }], makeHarness(), {
      deadlineMs: Date.now() + 700,
    });
    expect(r.outcome).toMatchObject({ stopReason: 'timeout', turns: 0 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.fake.requests).toHaveLength(1); // an abort is not retried
  });

  it('verify: a FAIL verdict is fed back, the agent fixes it, and PASS ends the run', async () => {
    const checker = {
      name: 'checker',
      description: 'Checks the work.',
      model: 'claude-haiku-4-5',
      tools: ['bash'],
      maxTurns: 5,
      prompt: 'You verify {{task_name}}.',
    };
    const harness = makeHarness(
      { orchestration: { verify: { agent: 'checker', maxRounds: 2 } } },
      { agents: [checker] },
    );
    let verifierRuns = 0;
    const r = await runScripted((req) => {
      const body = req.body as Anthropic.MessageCreateParamsNonStreaming;
      if (JSON.stringify(body.system).includes('You verify demo-task.')) {
        if (body.messages.length > 1) return { content: [text('out.txt says fixed.\nVERDICT: PASS')], usage };
        verifierRuns += 1;
        return verifierRuns === 1
          ? { content: [text('out.txt is missing.\nVERDICT: FAIL')], usage }
          : { content: [toolUse('bash', { command: 'cat out.txt' })], usage };
      }
      const last = JSON.stringify(body.messages.at(-1));
      if (last.includes('out.txt is missing'))
        return {
          content: [toolUse('bash', { command: 'echo fixed > out.txt' }), toolUse('finish', { summary: 'v2' })],
          usage,
        };
      return { content: [toolUse('finish', { summary: 'v1' })], usage };
    }, harness);
    expect(r.outcome).toMatchObject({ stopReason: 'finished', finalMessage: 'v2', turns: 2 });
    expect(verifierRuns).toBe(2);
    // main v1, verifier FAIL, main fix+v2, verifier bash, verifier PASS
    expect(r.fake.requests).toHaveLength(5);
    expect(r.outcome.usage.costUsd).toBeCloseTo(2 * COST_PER_CALL + 3 * 217.5e-6, 12); // haiku: (100*1 + 20*5 + 50*0.1 + 10*1.25) / 1e6
    expect(r.sb.text('/app/out.txt')).toBe('fixed\n');
    const models = r.fake.requests.map((q) => (q.body as { model: string }).model);
    expect(models[1]).toBe('claude-haiku-4-5');
    const t = r.recorder.toJSON();
    const subs = t.subagent_trajectories ?? [];
    expect(subs.map((s) => s.agent.name)).toEqual(['agent_checker', 'agent_checker']);
    expect(
      t.steps.some((s) => s.source === 'user' && typeof s.message === 'string' && s.message.includes('VERDICT: FAIL')),
    ).toBe(true);
  }, 30_000);

  it('planFirst sends tool_choice none with a plan request first, then acts', async () => {
    const r = await runScripted(
      [{ content: [text('1. look 2. write')] }, { content: [toolUse('finish', { summary: 'planned and done' })] }],
      makeHarness({ orchestration: { planFirst: true } }),
    );
    expect(r.outcome).toMatchObject({ stopReason: 'finished', turns: 2 });
    expect(r.body(0).tool_choice).toEqual({ type: 'none' });
    expect(JSON.stringify(r.body(0).messages[0])).toContain(PLAN_REQUEST);
    expect(r.body(1).tool_choice).toBeUndefined();
    expect(r.body(1).messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(userTexts(r, 1)).toMatch(/carry out your plan/);
  });

  it('sends thinking config and keeps signed thinking blocks in the history, recorded as reasoning', async () => {
    const r = await runScripted(
      [
        { content: [thinking('I should check pwd'), toolUse('bash', { command: 'pwd' })] },
        { content: [toolUse('finish', { summary: 's' })] },
      ],
      makeHarness({ thinkingBudget: 2048 }),
    );
    expect(r.body(0).thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    const assistant = r.body(1).messages[1]!.content as Anthropic.ContentBlockParam[];
    expect(assistant[0]).toMatchObject({
      type: 'thinking',
      thinking: 'I should check pwd',
      signature: expect.stringMatching(/^sig_/),
    });
    expect(r.recorder.toJSON().steps[2]!.reasoning_content).toBe('I should check pwd');
  });

  it('runs a sub-agent tool as a nested loop and links its trajectory', async () => {
    const helper = {
      name: 'helper',
      description: 'Does chores.',
      model: null,
      tools: ['write_file'],
      maxTurns: 4,
      prompt: 'You are a helper.',
    };
    const r = await runScripted(
      (req, i) => {
        const body = req.body as Anthropic.MessageCreateParamsNonStreaming;
        if (JSON.stringify(body.system).includes('You are a helper.')) {
          expect(toolNames(body)).toEqual(['write_file', 'finish']);
          return i === 1
            ? { content: [toolUse('write_file', { path: 'h.txt', content: 'from helper' })], usage }
            : { content: [toolUse('finish', { summary: 'helper wrote h.txt' })], usage };
        }
        return i === 0
          ? { content: [toolUse('agent_helper', { task: 'write h.txt' })], usage }
          : { content: [toolUse('finish', { summary: 'delegated' })], usage };
      },
      makeHarness({}, { agents: [helper] }),
    );
    expect(r.outcome).toMatchObject({ stopReason: 'finished', turns: 2 });
    expect(toolNames(r.body(0))).toContain('agent_helper');
    expect(r.sb.text('/app/h.txt')).toBe('from helper');
    expect(toolResults(r, 3)[0]).toMatchObject({ content: 'helper wrote h.txt' });
    expect(r.outcome.usage.costUsd).toBeCloseTo(4 * COST_PER_CALL, 12); // 2 main + 2 helper calls
    const step = r.recorder.toJSON().steps[2]!;
    expect(step.observation!.results[0]!.subagent_trajectory_ref![0]).toMatchObject({
      session_id: 'sess-1/agent_helper/1',
    });
  });

  it('runs a custom tool with TOOL_INPUT and TOOL_ARG_* after installing the harness tools', async () => {
    const tool = {
      name: 'greet',
      description: 'Greets.',
      inputSchema: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'] },
      command: 'env',
      timeoutSec: 7,
    };
    const harness = makeHarness({}, { tools: [tool], files: { 'tools/greet.yaml': 'x', 'tools/greet.sh': 'echo hi' } });
    const r = await runScripted(
      [
        { content: [toolUse('greet', { who: 42 }), toolUse('greet', { who: 'ann' })] },
        { content: [toolUse('finish', { summary: 'greeted' })] },
      ],
      harness,
    );
    expect(r.sb.files.get('/opt/autoagent/harness/tools/greet.sh')).toMatchObject({ mode: 0o755 });
    const [bad, good] = toolResults(r, 1);
    expect(bad).toMatchObject({ is_error: true, content: expect.stringMatching(/input.who: expected string/) });
    expect(good!.content).toContain('TOOL_ARG_WHO=ann');
    expect(good!.content).toContain('TOOL_INPUT={"who":"ann"}');
  });

  it('offers host tools to the main agent, validating their input', async () => {
    const seen: unknown[] = [];
    const check: HostTool = {
      name: 'check_it',
      description: 'Runs on the host.',
      inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
      run: async (input) => {
        seen.push(input);
        return { content: `checked ${(input as { n: number }).n}` };
      },
    };
    const r = await runScripted(
      [
        { content: [toolUse('check_it', { n: 'x' }), toolUse('check_it', { n: 3 })] },
        { content: [toolUse('finish', { summary: 'ok' })] },
      ],
      makeHarness(),
      { hostTools: [check] },
    );
    expect(toolNames(r.body(0))).toEqual(['bash', 'read_file', 'write_file', 'edit_file', 'check_it', 'finish']);
    const [bad, good] = toolResults(r, 1);
    expect(bad).toMatchObject({ is_error: true, content: expect.stringMatching(/input.n: expected integer/) });
    expect(good).toMatchObject({ content: 'checked 3' });
    expect(seen).toEqual([{ n: 3 }]);
  });

  it('never sends the API key into the sandbox or the trajectory', async () => {
    const helper = {
      name: 'helper',
      description: 'd',
      model: null,
      tools: ['bash'],
      maxTurns: 3,
      prompt: 'You are a helper.',
    };
    const tool = { name: 'envdump', description: 'd', inputSchema: { type: 'object' }, command: 'env', timeoutSec: 5 };
    const r = await runScripted(
      (req, i) => {
        if (JSON.stringify((req.body as { system: unknown }).system).includes('You are a helper.')) {
          return i === 2
            ? { content: [toolUse('bash', { command: 'env' })] }
            : { content: [toolUse('finish', { summary: 'env checked' })] };
        }
        return i === 0
          ? { content: [toolUse('bash', { command: 'env' }), toolUse('envdump', {})] }
          : i === 1
            ? { content: [toolUse('agent_helper', { task: 'dump env' })] }
            : { content: [text('done')] };
      },
      makeHarness({}, { agents: [helper], tools: [tool] }),
    );
    expect(r.outcome.stopReason).toBe('end_turn');
    expect(r.fake.requests.every((q) => apiKeyOf(q.headers) === KEY)).toBe(true);
    expect(r.sb.execs.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(r.sb.execs)).not.toContain(KEY);
    expect(JSON.stringify(r.recorder.toJSON())).not.toContain(KEY);
    expect(JSON.stringify(r.fake.requests.map((q) => q.body))).not.toContain(KEY);
  });
});
