/**
 * Conformance with Harbor itself: trajectories our real agent runtime writes (the real Anthropic SDK against
 * the local fake Messages API; tool calls, failing tools, thinking, sub-agents by tool call and by the
 * verify orchestration) are validated by Harbor's pydantic models (`harbor.models.trajectories.Trajectory`,
 * pinned harbor in .tools/harbor), and so are the golden files of every ATIF version and what our reader
 * makes of them. A broken file is refused, so the check can fail.
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { loadTrajectory, writeTrajectory } from '../../src/agent/atif/io';
import { type Trajectory } from '../../src/agent/atif/trajectory';
import { closeFakes, makeHarness, runScripted, type Run } from '../support/agent-run';
import { withEnv } from '../support/env';
import { text, thinking, toolUse } from '../support/fake-anthropic';
import { harborValidate } from '../support/harbor';
import { useTmpDir } from '../support/tmp-dir';

afterEach(closeFakes);
const tmp = useTmpDir('harbor-conf-');
const FIXTURES = join(__dirname, '..', 'fixtures', 'atif');
const usage = { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50, cache_creation_input_tokens: 10 };
const SECRET = 'sk-ant-conformance-0123456789abcdef';

const isHelper = (body: Anthropic.MessageCreateParamsNonStreaming, marker: string): boolean =>
  JSON.stringify(body.system).includes(marker);

/** A run using every kind of step we record: thinking, several tools, a failing tool, a sub-agent call. */
function richRun(): Promise<Run> {
  const helper = {
    name: 'helper',
    description: 'Does chores.',
    model: null,
    tools: ['write_file', 'bash'],
    maxTurns: 4,
    prompt: 'You are a helper.',
  };
  return runScripted(
    (req, i) => {
      const body = req.body as Anthropic.MessageCreateParamsNonStreaming;
      if (isHelper(body, 'You are a helper.')) {
        return body.messages.length === 1
          ? { content: [toolUse('write_file', { path: 'h.txt', content: 'from helper' })], usage }
          : { content: [toolUse('finish', { summary: 'helper wrote h.txt' })], usage };
      }
      if (i === 0)
        return {
          content: [
            thinking('plan: write, then delegate'),
            text(`Working (key ${SECRET}).`),
            toolUse('bash', { command: 'echo hi > out.txt' }),
            toolUse('bash', { cmd: 'oops' }),
          ],
          usage,
        };
      if (i === 1) return { content: [toolUse('agent_helper', { task: 'write h.txt' })], usage };
      return { content: [toolUse('finish', { summary: 'done' })], usage };
    },
    makeHarness({ thinkingBudget: 1024, maxTokens: 4096 }, { agents: [helper] }),
  );
}

/** The verify orchestration: its sub-agent runs are recorded without a tool call (a system step links them). */
function verifiedRun(): Promise<Run> {
  const checker = {
    name: 'checker',
    description: 'Checks.',
    model: null,
    tools: ['bash'],
    maxTurns: 3,
    prompt: 'You verify {{task_name}}.',
  };
  let verdicts = 0;
  return runScripted(
    (req) => {
      const body = req.body as Anthropic.MessageCreateParamsNonStreaming;
      if (isHelper(body, 'You verify demo-task.'))
        return { content: [text(++verdicts === 1 ? 'VERDICT: FAIL' : 'VERDICT: PASS')], usage };
      return { content: [toolUse('finish', { summary: 'attempt' })], usage };
    },
    makeHarness(
      { orchestration: { planFirst: true, verify: { agent: 'checker', maxRounds: 2 } } },
      { agents: [checker] },
    ),
  );
}

async function written(name: string, t: Trajectory): Promise<string> {
  const file = join(tmp(), name, 'trajectory.json');
  await writeTrajectory(file, t);
  return file;
}

test("every trajectory our agent runtime writes is valid under Harbor's own models", async () => {
  const files = await withEnv({ ANTHROPIC_API_KEY: SECRET }, async () => {
    const rich = await richRun();
    const verified = await verifiedRun();
    expect(rich.outcome.stopReason).toBe('finished');
    const partial = rich.recorder.toJSON(); // before finish(): a partial trajectory is valid too
    rich.recorder.finish({
      usage: rich.outcome.usage,
      turns: rich.outcome.turns,
      durationMs: 5,
      stopReason: rich.outcome.stopReason,
    });
    verified.recorder.finish({
      usage: verified.outcome.usage,
      turns: verified.outcome.turns,
      durationMs: 5,
      stopReason: verified.outcome.stopReason,
    });
    return [
      await written('rich', rich.recorder.toJSON()),
      await written('partial', partial),
      await written('verified', verified.recorder.toJSON()),
    ];
  });
  const report = await harborValidate(files);
  expect(report.errors).toEqual([]);
  expect(report.checked.map(([, model]) => model)).toEqual(['Trajectory', 'Trajectory', 'Trajectory']);
  expect(report.harbor).toBe('0.26.0');

  // What Harbor accepted carries the v1.8 fields and no key.
  const rich = await loadTrajectory(files[0]!);
  expect(rich.schema_version).toBe('ATIF-v1.8');
  expect(rich.subagent_trajectories?.map((s) => s.trajectory_id)).toEqual(['sess-1/agent_helper/1']);
  expect(
    rich.steps.find((s) => s.tool_calls?.some((c) => c.function_name === 'agent_helper'))?.observation?.results[0]
      ?.subagent_trajectory_ref?.[0]?.trajectory_id,
  ).toBe('sess-1/agent_helper/1');
  expect(rich.steps.filter((s) => s.source === 'agent').every((s) => s.llm_call_count === 1)).toBe(true);
  expect(rich.steps[2]?.observation?.results.map((r) => r.extra)).toEqual([undefined, { is_error: true }]);
  expect(rich.agent.tool_definitions?.map((d) => (d as { function: { name: string } }).function.name)).toContain(
    'agent_helper',
  );
  expect(await readFile(files[0]!, 'utf8')).not.toContain(SECRET);
  const verified = await loadTrajectory(files[2]!);
  expect(verified.subagent_trajectories).toHaveLength(2);
}, 60_000);

test('golden files of every ATIF version, and our v1.8 reading of each, are valid under Harbor', async () => {
  const goldens = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(FIXTURES, f));
  const normalised = await Promise.all(goldens.map(async (f, i) => written(`n${i}`, await loadTrajectory(f))));
  const report = await harborValidate([...goldens, ...normalised]);
  expect(report.errors).toEqual([]);
  expect(report.checked).toHaveLength(2 * goldens.length);
});

test('a file Harbor would refuse is refused (the check can fail)', async () => {
  const t = JSON.parse(await readFile(join(FIXTURES, 'golden-trajectory.json'), 'utf8')) as Record<string, unknown> & {
    subagent_trajectories: Record<string, unknown>[];
  };
  delete t.subagent_trajectories[0]!.trajectory_id;
  const file = join(tmp(), 'bad.json');
  await writeTrajectory(join(tmp(), 'ok.json'), await loadTrajectory(join(FIXTURES, 'golden-trajectory.json')));
  await writeFile(file, JSON.stringify(t));
  const report = await harborValidate([file, join(tmp(), 'ok.json')]);
  expect(report.checked).toEqual([[join(tmp(), 'ok.json'), 'Trajectory']]);
  expect(report.errors).toEqual([
    expect.objectContaining({
      path: file,
      model: 'Trajectory',
      error: expect.stringContaining('trajectory_id is required'),
    }),
  ]);
});
