/** TrajectoryRecorder behaviour beyond the golden run: redaction, partial runs, misuse, sub-agents. */
import { parseTrajectory } from '../../src/agent/atif/io';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { REDACTED } from '../../src/agent/atif/redact';

const rec = () => new TrajectoryRecorder({ sessionId: 's1', agentName: 'a', model: null });

describe('secret redaction', () => {
  const saved = process.env.ANTHROPIC_API_KEY;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = saved;
  });

  test('the ANTHROPIC_API_KEY value and sk-ant-... tokens never reach the trajectory', () => {
    const key = 'my-secret-key-value-1234567890';
    process.env.ANTHROPIC_API_KEY = key;
    const other = 'sk-ant-api03-AbC_d-EF123';
    const r = new TrajectoryRecorder({ sessionId: 's', agentName: 'a', model: 'm', extra: { env: `KEY=${key}` } });
    r.addStep({ source: 'user', message: `use ${key}`, extra: { nested: [{ k: other }] } });
    const id = r.addStep({
      source: 'agent',
      message: `found ${other}`,
      reasoning: `the key is ${key}`,
      toolCalls: [{ id: 't1', name: 'bash', arguments: { command: `echo ${key} ${other}`, deep: { list: [key] } } }],
    });
    r.addObservations(id, [{ toolCallId: 't1', content: `${key}\n${other}` }]);
    r.finish({
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
      turns: 1,
      durationMs: 1,
      stopReason: `error: ${key}`,
    });
    const json = JSON.stringify(r.toJSON());
    expect(json).not.toContain(key);
    expect(json).not.toContain('sk-ant-');
    // agent extra, user message, nested extra, message, reasoning, 2 in command, deep list, 2 in observation, stop reason
    expect(json.split(REDACTED).length - 1).toBe(11);
  });

  test('without the env var, sk-ant- tokens are still redacted', () => {
    delete process.env.ANTHROPIC_API_KEY;
    const r = rec();
    r.addStep({ source: 'user', message: 'x sk-ant-zzz y' });
    expect(r.toJSON().steps[0]?.message).toBe(`x ${REDACTED} y`);
  });

  test('the OPENAI_API_KEY value and sk-... tokens are redacted; a short placeholder key mangles nothing', () => {
    const savedOpenAi = process.env.OPENAI_API_KEY;
    try {
      process.env.OPENAI_API_KEY = 'openai-secret-key-0987654321';
      process.env.ANTHROPIC_API_KEY = 'x';
      const r = rec();
      r.addStep({ source: 'user', message: 'extra openai-secret-key-0987654321 sk-proj-ABCDEFGHIJKLMNOPQRSTUV' });
      expect(r.toJSON().steps[0]?.message).toBe(`extra ${REDACTED} ${REDACTED}`);
    } finally {
      if (savedOpenAi === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = savedOpenAi;
    }
  });
});

describe('partial trajectories', () => {
  test('before finish(), final_metrics sums the steps and says finished: false', () => {
    const r = rec();
    r.addStep({ source: 'user', message: 'go' });
    r.addStep({
      source: 'agent',
      message: 'a',
      usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 100, cacheWriteTokens: 7, costUsd: 0.5 },
    });
    r.addStep({
      source: 'agent',
      message: 'b',
      usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, costUsd: 0.25 },
    });
    const t = parseTrajectory(r.toJSON());
    expect(t.final_metrics).toEqual({
      total_prompt_tokens: 125,
      total_completion_tokens: 7,
      total_cached_tokens: 103,
      total_cost_usd: 0.75,
      total_steps: 3,
      extra: { total_cache_creation_input_tokens: 11, finished: false },
    });
    expect(t.agent).toEqual({ name: 'a', version: '0.1.0' });
  });

  test('toJSON returns a copy: later mutation does not change the recorder', () => {
    const r = rec();
    r.addStep({ source: 'user', message: 'go' });
    const t = r.toJSON();
    (t.steps[0] as { message: string }).message = 'changed';
    expect(r.toJSON().steps[0]?.message).toBe('go');
  });
});

describe('misuse is a TrajectoryError', () => {
  test('observations for an unknown step or tool call', () => {
    const r = rec();
    const id = r.addStep({ source: 'agent', message: '', toolCalls: [{ id: 't1', name: 'bash', arguments: {} }] });
    expect(() => r.addObservations(9, [])).toThrow('addObservations: no step 9 (have 1)');
    expect(() => r.addObservations(id, [{ toolCallId: 't2', content: '' }])).toThrow('step 1 has no tool call "t2"');
  });

  test('agent-only fields on a user step', () => {
    expect(() =>
      rec().addStep({ source: 'user', message: '', toolCalls: [{ id: 'x', name: 'bash', arguments: {} }] }),
    ).toThrow(expect.objectContaining({ name: 'TrajectoryError' }));
  });
});

describe('details', () => {
  test('non-object tool arguments are wrapped to stay valid ATIF; null call ids are allowed', () => {
    const r = rec();
    const id = r.addStep({
      source: 'agent',
      message: '',
      toolCalls: [{ id: 't1', name: 'bash', arguments: 'ls -la' }],
    });
    r.addObservations(id, [{ toolCallId: null, content: 'note', isError: true }]);
    const t = parseTrajectory(r.toJSON());
    expect(t.steps[0]?.tool_calls?.[0]?.arguments).toEqual({ value: 'ls -la' });
    expect(t.steps[0]?.observation?.results).toEqual([{ content: 'note', extra: { is_error: true } }]);
    expect(t.steps[0]?.extra).toBeUndefined();
  });

  test('a sub-agent without a tool call id is recorded by a system step', () => {
    const r = rec();
    const sub = new TrajectoryRecorder({ sessionId: 'sub-1', agentName: 'v', model: 'm' });
    sub.addStep({ source: 'user', message: 'check' });
    r.addSubagentTrajectory('verifier', sub);
    const t = parseTrajectory(r.toJSON());
    expect(t.steps[0]).toMatchObject({
      source: 'system',
      observation: {
        results: [
          { subagent_trajectory_ref: [{ trajectory_id: 'sub-1', session_id: 'sub-1', extra: { name: 'verifier' } }] },
        ],
      },
    });
    expect(t.subagent_trajectories?.[0]?.steps[0]?.message).toBe('check');
    expect(t.subagent_trajectories?.[0]?.trajectory_id).toBe('sub-1');
  });

  test('a sub-agent linked before the observation exists gets its own result entry', () => {
    const r = rec();
    r.addStep({ source: 'agent', message: '', toolCalls: [{ id: 'c1', name: 'agent_v', arguments: { task: 't' } }] });
    r.addSubagentTrajectory('v', new TrajectoryRecorder({ sessionId: 'sub', agentName: 'v', model: null }), {
      toolCallId: 'c1',
    });
    const t = parseTrajectory(r.toJSON());
    expect(t.steps).toHaveLength(1);
    expect(t.steps[0]?.observation?.results).toEqual([
      {
        source_call_id: 'c1',
        subagent_trajectory_ref: [{ trajectory_id: 'sub', session_id: 'sub', extra: { name: 'v' } }],
      },
    ]);
    expect(t.subagent_trajectories?.[0]?.steps).toEqual([
      expect.objectContaining({ source: 'system', extra: { no_steps: true } }),
    ]);
  });

  test('two sub-agent runs with one session id get distinct trajectory ids', () => {
    const r = rec();
    r.addStep({
      source: 'agent',
      message: '',
      toolCalls: [
        { id: 'c1', name: 'agent_v', arguments: {} },
        { id: 'c2', name: 'agent_v', arguments: {} },
      ],
    });
    r.addSubagentTrajectory('v', new TrajectoryRecorder({ sessionId: 'same', agentName: 'v', model: null }), {
      toolCallId: 'c1',
    });
    r.addSubagentTrajectory('v', new TrajectoryRecorder({ sessionId: 'same', agentName: 'v', model: null }), {
      toolCallId: 'c2',
    });
    const t = parseTrajectory(r.toJSON());
    expect(t.subagent_trajectories?.map((s) => s.trajectory_id)).toEqual(['same', 'same#1']);
    expect(t.steps[0]?.observation?.results.map((x) => x.subagent_trajectory_ref?.[0]?.trajectory_id)).toEqual([
      'same',
      'same#1',
    ]);
  });

  test('an agent step without a model call records llm_call_count 0 and no metrics; tool definitions are kept', () => {
    const r = rec();
    r.setToolDefinitions([{ name: 'bash', description: 'run', input_schema: { type: 'object' } }]);
    r.addStep({
      source: 'agent',
      message: 'oracle',
      llmCallCount: 0,
      toolCalls: [{ id: 'o', name: 'bash', arguments: { command: 'true' } }],
    });
    const t = parseTrajectory(r.toJSON());
    expect(t.steps[0]).toMatchObject({ llm_call_count: 0 });
    expect(t.steps[0]?.metrics).toBeUndefined();
    expect(t.agent.tool_definitions).toEqual([
      { type: 'function', function: { name: 'bash', description: 'run', parameters: { type: 'object' } } },
    ]);
  });

  test('a recorder with no step yields one system step saying so (Harbor requires a step)', () => {
    const r = rec();
    r.finish({
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
      turns: 0,
      durationMs: 1,
      stopReason: 'noop',
    });
    const t = parseTrajectory(r.toJSON());
    expect(t.steps).toEqual([
      expect.objectContaining({
        step_id: 1,
        source: 'system',
        message: 'No agent step was recorded (stop reason: noop).',
        extra: { no_steps: true },
      }),
    ]);
  });
});
