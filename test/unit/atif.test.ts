/**
 * ATIF trajectories: the recorder's output against a golden file, file round trip, schema
 * validation errors (file + field path), secret redaction and partial trajectories.
 * Regenerate the golden file deliberately with UPDATE_GOLDEN=1 and review the diff.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadTrajectory, parseTrajectory, writeTrajectory } from '../../src/agent/atif/io';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { ATIF_SCHEMA_VERSION } from '../../src/agent/atif/version';
import type { Usage } from '../../src/llm/usage';
import { useTmpDir } from '../support/tmp-dir';

const GOLDEN = join(__dirname, '..', 'fixtures', 'atif', 'golden-trajectory.json');

function clock(): () => Date {
  let t = Date.parse('2025-11-01T12:00:00.000Z');
  return () => new Date((t += 1000));
}
const usage = (i: number, o: number, r = 0, w = 0, c = 0): Usage => ({
  inputTokens: i,
  outputTokens: o,
  cacheReadTokens: r,
  cacheWriteTokens: w,
  costUsd: c,
});

/** A small but complete run: system, user, tool-using agent turn with an error, a verifier sub-agent, finish. */
function goldenRun(): TrajectoryRecorder {
  const now = clock();
  const rec = new TrajectoryRecorder({
    sessionId: 'trial-abc123',
    agentName: 'autoagent-harness',
    model: 'claude-sonnet-4-5',
    extra: { harness_id: 'h-0123456789abcdef' },
    now,
  });
  rec.addStep({ source: 'system', message: 'You are a terminal agent.' });
  rec.addStep({ source: 'user', message: 'Create /app/hello.txt containing "Hello, world!".' });
  const s3 = rec.addStep({
    source: 'agent',
    message: 'I will create the file and check it.',
    reasoning: 'Simple: write then cat.',
    model: 'claude-sonnet-4-5',
    toolCalls: [
      { id: 'toolu_1', name: 'bash', arguments: { command: 'echo "Hello, world!" > /app/hello.txt' } },
      { id: 'toolu_2', name: 'bash', arguments: { command: 'cat /app/missing.txt' } },
    ],
    usage: usage(1000, 80, 0, 1200, 0.0123),
    extra: { turn: 1, stop_reason: 'tool_use' },
  });
  rec.addObservations(s3, [
    { toolCallId: 'toolu_1', content: '' },
    {
      toolCallId: 'toolu_2',
      content: 'cat: /app/missing.txt: No such file or directory\n[exit code 1]',
      isError: true,
    },
  ]);
  const s4 = rec.addStep({
    source: 'agent',
    message: '',
    toolCalls: [{ id: 'toolu_3', name: 'agent_verifier', arguments: { task: 'Check /app/hello.txt' } }],
    usage: usage(50, 40, 2200, 0, 0.002),
  });
  const sub = new TrajectoryRecorder({
    sessionId: 'trial-abc123/verifier-1',
    agentName: 'autoagent-harness/verifier',
    model: 'claude-sonnet-4-5',
    now,
  });
  sub.addStep({ source: 'system', message: 'You are a strict reviewer.' });
  sub.addStep({ source: 'user', message: 'Check /app/hello.txt' });
  sub.addStep({
    source: 'agent',
    message: 'PASS: file has the right content.',
    toolCalls: [{ id: 'toolu_9', name: 'finish', arguments: { summary: 'PASS' } }],
    usage: usage(300, 20),
  });
  sub.finish({ usage: usage(300, 20), turns: 1, durationMs: 900, stopReason: 'finished' });
  rec.addObservations(s4, [{ toolCallId: 'toolu_3', content: 'PASS: file has the right content.' }]);
  rec.addSubagentTrajectory('verifier', sub, { toolCallId: 'toolu_3' });
  rec.addStep({
    source: 'agent',
    message: 'Done.',
    toolCalls: [{ id: 'toolu_4', name: 'finish', arguments: { summary: 'Created the file.' } }],
    usage: usage(20, 10, 2300, 0, 0.001),
  });
  rec.finish({ usage: usage(1370, 150, 4500, 1200, 0.0153), turns: 3, durationMs: 12345, stopReason: 'finished' });
  return rec;
}

const tmp = useTmpDir('atif-test-');

describe('golden trajectory', () => {
  test('recorder output equals the golden file', async () => {
    const t = goldenRun().toJSON();
    if (process.env.UPDATE_GOLDEN === '1') await writeTrajectory(GOLDEN, t);
    expect(t).toEqual(JSON.parse(await readFile(GOLDEN, 'utf8')));
  });

  test('the golden file is valid ATIF with the expected shape', async () => {
    const t = await loadTrajectory(GOLDEN);
    expect(t.schema_version).toBe('ATIF-v1.8');
    expect(t.trajectory_id).toBe('trial-abc123');
    expect(t.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'agent', 'agent']);
    expect(t.steps.map((s) => s.llm_call_count)).toEqual([undefined, undefined, 1, 1, 1]);
    expect(t.steps[2]?.metrics).toEqual({
      prompt_tokens: 2200,
      completion_tokens: 80,
      cached_tokens: 0,
      cost_usd: 0.0123,
      extra: { cache_creation_input_tokens: 1200 },
    });
    expect(t.steps[2]?.extra).toEqual({ turn: 1, stop_reason: 'tool_use' });
    expect(t.steps[2]?.observation?.results.map((r) => r.extra)).toEqual([undefined, { is_error: true }]);
    expect(t.steps[3]?.observation?.results[0]?.subagent_trajectory_ref).toEqual([
      { trajectory_id: 'trial-abc123/verifier-1', session_id: 'trial-abc123/verifier-1', extra: { name: 'verifier' } },
    ]);
    expect(t.subagent_trajectories?.[0]).toMatchObject({
      trajectory_id: 'trial-abc123/verifier-1',
      session_id: 'trial-abc123/verifier-1',
    });
    expect(t.extra).toBeUndefined();
    expect(t.final_metrics).toEqual({
      total_prompt_tokens: 7070,
      total_completion_tokens: 150,
      total_cached_tokens: 4500,
      total_cost_usd: 0.0153,
      total_steps: 5,
      extra: { total_cache_creation_input_tokens: 1200, turns: 3, duration_ms: 12345, stop_reason: 'finished' },
    });
  });

  test('write then load round-trips exactly', async () => {
    const t = goldenRun().toJSON();
    const file = join(tmp(), 'nested', 'trajectory.json');
    await writeTrajectory(file, t);
    expect(await loadTrajectory(file)).toEqual(t);
  });
});

describe('validation errors name the file and the field', () => {
  const DELETE = Symbol('delete');
  /** Sets (or deletes) the value at `path` in a JSON copy of the golden run, writes it, loads it. */
  async function loadBad(path: (string | number)[], value: unknown): Promise<string> {
    const t: unknown = JSON.parse(JSON.stringify(goldenRun().toJSON()));
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], t) as Record<
      string | number,
      unknown
    >;
    const last = path[path.length - 1] as string | number;
    if (value === DELETE) delete parent[last];
    else parent[last] = value;
    const file = join(tmp(), 'bad.json');
    await writeFile(file, JSON.stringify(t));
    return loadTrajectory(file).then(
      () => 'no error',
      (e: Error) => `${e.name}: ${e.message.replace(file, '<file>')}`,
    );
  }

  test.each<[string, (string | number)[], unknown, string]>([
    [
      'wrong version',
      ['schema_version'],
      'ATIF-v0.9',
      'TrajectoryFileError: <file>: schema_version: Invalid literal value, expected "ATIF-v1.8"',
    ],
    [
      'missing function name',
      ['steps', 2, 'tool_calls', 0, 'function_name'],
      DELETE,
      'TrajectoryFileError: <file>: steps.2.tool_calls.0.function_name: Required',
    ],
    [
      'arguments not an object',
      ['steps', 2, 'tool_calls', 0, 'arguments'],
      'ls',
      'TrajectoryFileError: <file>: steps.2.tool_calls.0.arguments: Expected object, received string',
    ],
    [
      'metrics on a user step',
      ['steps', 1, 'metrics'],
      {},
      'TrajectoryFileError: <file>: steps.1.metrics: only allowed on agent steps (source is "user")',
    ],
    [
      'dangling source_call_id',
      ['steps', 2, 'observation', 'results', 0, 'source_call_id'],
      'toolu_x',
      'TrajectoryFileError: <file>: steps.2.observation.results.0.source_call_id: no tool call "toolu_x" in this step',
    ],
    [
      'step ids out of order',
      ['steps', 1, 'step_id'],
      7,
      'TrajectoryFileError: <file>: steps.1.step_id: expected 2, got 7',
    ],
    [
      'unknown field (typo)',
      ['steps', 0, 'mesage'],
      'x',
      "TrajectoryFileError: <file>: steps.0: Unrecognized key(s) in object: 'mesage'",
    ],
    [
      'bad nested sub-agent',
      ['subagent_trajectories', 0, 'steps', 0, 'source'],
      'robot',
      'TrajectoryFileError: <file>: subagent_trajectories.0.steps.0.source: Invalid enum value',
    ],
    [
      'sub-agent without an id',
      ['subagent_trajectories', 0, 'trajectory_id'],
      DELETE,
      'TrajectoryFileError: <file>: subagent_trajectories.0.trajectory_id: required on an embedded sub-agent',
    ],
    [
      'unresolvable sub-agent ref',
      ['steps', 3, 'observation', 'results', 0, 'subagent_trajectory_ref', 0, 'trajectory_id'],
      DELETE,
      'TrajectoryFileError: <file>: steps.3.observation.results.0.subagent_trajectory_ref.0.trajectory_id: a sub-agent reference needs',
    ],
    [
      'metrics on a no-LLM step',
      ['steps', 2, 'llm_call_count'],
      0,
      'TrajectoryFileError: <file>: steps.2.metrics: must be absent when llm_call_count is 0',
    ],
    [
      'image part without a source',
      ['steps', 1, 'message'],
      [{ type: 'image' }],
      'TrajectoryFileError: <file>: steps.1.message',
    ],
    ['no steps at all (v1.8)', ['steps'], [], 'TrajectoryFileError: <file>: steps: Array must contain at least 1'],
    [
      'negative tokens',
      ['final_metrics', 'total_prompt_tokens'],
      -1,
      'TrajectoryFileError: <file>: final_metrics.total_prompt_tokens: Number must be greater than or equal to 0',
    ],
  ])('%s', async (_label, path, value, expected) => {
    expect((await loadBad(path, value)).startsWith(expected)).toBe(true);
  });

  test('invalid JSON and missing files name the file', async () => {
    const file = join(tmp(), 'broken.json');
    await writeFile(file, '{"schema_version": ');
    await expect(loadTrajectory(file)).rejects.toThrow(`${file}: invalid JSON`);
    await expect(loadTrajectory(join(tmp(), 'nope.json'))).rejects.toThrow(`${join(tmp(), 'nope.json')}: cannot read`);
  });

  test('parseTrajectory validates in-memory values', () => {
    expect(() => parseTrajectory({ schema_version: ATIF_SCHEMA_VERSION }, 'mem')).toThrow('mem: agent: Required');
  });
});
