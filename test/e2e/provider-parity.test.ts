/**
 * One scripted agent behaviour, two providers, one result: the same script drives a real Docker trial once
 * through the fake Messages API (`claude-haiku-4-5`, real @anthropic-ai/sdk) and once through the fake
 * OpenAI-compatible Chat Completions server (`openai/fake-coder`, real `openai` SDK). Both trials must give
 * the same reward, the same tool calls and observations (a malformed tool call answered as an error
 * included), the same usage and cost, and ATIF trajectories that are equal once provider names, ids of
 * the run and times are set aside. Needs Docker: fails (does not skip) without it.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { loadTrajectory } from '../../src/agent/atif/io';
import { HarnessConfigSchema, type Harness } from '../../src/harness/schema';
import { startFakeOpenAi, type FakeOpenAi } from '../../src/llm/fake-openai/server';
import { resetLimiters } from '../../src/llm/limiter';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { Task } from '../../src/tasks/types';
import { runTrial } from '../../src/trial/run-trial';
import type { TrialResult } from '../../src/trial/types';
import { makeTask, requireDocker, tmpDir } from '../integration/docker/support';
import { withEnv } from '../support/env';
import {
  startFakeAnthropic,
  text,
  thinking,
  toolUse,
  type FakeAnthropic,
  type FakeReply,
} from '../support/fake-anthropic';

const ANTHROPIC_KEY = 'sk-ant-parity-secret-7f1';
const OPENAI_KEY = 'sk-openai-parity-secret-3c9';
const ANTHROPIC_MODEL = 'claude-haiku-4-5';
const OPENAI_MODEL = 'openai/fake-coder';

/** The behaviour under test: think, two tools in one turn, a malformed call, then finish. */
const script: FakeReply[] = [
  {
    content: [
      thinking('Plan: write the file, then read it back.'),
      text('Writing the file.'),
      toolUse('bash', { command: 'echo hello > /app/out.txt' }, 'call_1'),
      toolUse('read_file', { path: '/app/out.txt' }, 'call_2'),
    ],
    usage: { input_tokens: 120, output_tokens: 40, cache_read_input_tokens: 30 },
  },
  // Not valid JSON: the OpenAI server sends it as raw arguments; the Messages API fake as a string input.
  {
    content: [toolUse('bash', '{"command": "cat /app/out.txt"', 'call_3')],
    usage: { input_tokens: 200, output_tokens: 15 },
  },
  {
    content: [text('All done.'), toolUse('finish', { summary: 'wrote hello to /app/out.txt' }, 'call_4')],
    usage: { input_tokens: 260, output_tokens: 12 },
  },
];

function harnessFor(model: string): Harness {
  return {
    dir: '/nonexistent',
    id: 'h-parity',
    config: HarnessConfigSchema.parse({ model, maxTurns: 10 }),
    systemTemplate: 'You are a careful terminal agent.',
    agents: [],
    files: {},
    warnings: [],
    tools: [],
  };
}

/** The trajectory without what must differ between providers: model names, session ids, timestamps, durations. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (
      ['timestamp', 'session_id', 'trajectory_id', 'model_name', 'model', 'trialId', 'trial_id'].includes(k) ||
      /duration|_ms$|Ms$/i.test(k)
    )
      continue;
    out[k] = shapeOf(v);
  }
  return out;
}

describe('the same behaviour through the Anthropic and the OpenAI-compatible provider (real Docker trials)', () => {
  const provider = new DockerSandboxProvider();
  let task: Task;
  let outDir = '';
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAi;
  const results: Record<'anthropic' | 'openai', TrialResult | null> = { anthropic: null, openai: null };

  beforeAll(async () => {
    await requireDocker();
    resetLimiters();
    task = await makeTask({ name: 'parity-task' });
    await provider.ensureImage(task); // build outside the trials
    outDir = await tmpDir('aa-provider-parity-');
    anthropic = await startFakeAnthropic(script);
    openai = await startFakeOpenAi(script);
    const env = {
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      OPENAI_BASE_URL: openai.url,
      OPENAI_API_KEY: OPENAI_KEY,
      // Price the OpenAI-served model like Haiku so costs are comparable too (openai/ is $0 unless priced).
      AUTOAGENT_PRICING_JSON: JSON.stringify({ [OPENAI_MODEL]: { input: 1, output: 5 } }),
    };
    await withEnv(env, async () => {
      results.anthropic = await runTrial({
        task,
        agent: 'harness',
        harness: harnessFor(ANTHROPIC_MODEL),
        repeat: 0,
        outDir,
        provider,
      });
      results.openai = await runTrial({
        task,
        agent: 'harness',
        harness: harnessFor(OPENAI_MODEL),
        repeat: 0,
        outDir,
        provider,
      });
    });
  }, 240_000);

  afterAll(async () => {
    await anthropic?.close();
    await openai?.close();
    resetLimiters();
  });

  it('both trials solve the task the same way: reward 1, finished in 3 turns, same usage and cost', () => {
    const a = results.anthropic!;
    const o = results.openai!;
    for (const r of [a, o])
      expect(r).toMatchObject({ reward: 1, error: null, stopReason: 'finished', turns: 3, failure: null });
    expect(o.usage).toEqual(a.usage);
    expect(a.usage).toMatchObject({ inputTokens: 580, outputTokens: 67, cacheReadTokens: 30, cacheWriteTokens: 0 });
    expect(a.usage.costUsd).toBeGreaterThan(0);
    expect([a.model, o.model]).toEqual([ANTHROPIC_MODEL, OPENAI_MODEL]);
  });

  it('each server got three well-formed requests (the fake OpenAI server rejects any Messages API leftovers)', () => {
    expect(anthropic.requests).toHaveLength(3);
    expect(openai.requests).toHaveLength(3);
    expect(openai.requests.map((r) => (r.body as { model: string }).model)).toEqual([
      'fake-coder',
      'fake-coder',
      'fake-coder',
    ]);
    const last = openai.requests[2]!.body as { messages: { role: string; tool_call_id?: string; content: unknown }[] };
    expect(last.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual([
      'call_1',
      'call_2',
      'call_3',
    ]);
    expect(last.messages.find((m) => m.tool_call_id === 'call_3')!.content).toMatch(
      /^Error: Invalid input for tool "bash"/,
    );
    const anthropicLast = (anthropic.requests[2]!.body as Anthropic.MessageCreateParamsNonStreaming).messages.at(-1)!
      .content as Anthropic.ToolResultBlockParam[];
    expect(anthropicLast[0]).toMatchObject({
      tool_use_id: 'call_3',
      is_error: true,
      content: expect.stringMatching(/^Invalid input for tool "bash"/),
    });
  });

  it('the ATIF trajectories have the same steps, tool calls, observations and metrics', async () => {
    const ta = await loadTrajectory(results.anthropic!.trajectoryPath!);
    const to = await loadTrajectory(results.openai!.trajectoryPath!);
    expect(to.steps.map((s) => s.source)).toEqual(['system', 'user', 'agent', 'agent', 'agent']);
    expect(shapeOf(to)).toEqual(shapeOf(ta));
    const agentSteps = to.steps.filter((s) => s.source === 'agent');
    expect(agentSteps.map((s) => s.tool_calls?.map((c) => c.function_name))).toEqual([
      ['bash', 'read_file'],
      ['bash'],
      ['finish'],
    ]);
    expect(agentSteps[0]!.reasoning_content).toBe('Plan: write the file, then read it back.');
    expect(agentSteps[0]!.observation!.results.map((r) => r.content)).toEqual(['[exit code: 0]', 'hello\n']);
    expect(agentSteps[1]!.tool_calls![0]!.arguments).toEqual({ value: '{"command": "cat /app/out.txt"' });
    expect(agentSteps[0]!.metrics).toMatchObject({ prompt_tokens: 150, completion_tokens: 40, cached_tokens: 30 });
    expect(agentSteps.map((s) => s.model_name)).toEqual([OPENAI_MODEL, OPENAI_MODEL, OPENAI_MODEL]);
    expect(ta.steps.filter((s) => s.source === 'agent').map((s) => s.model_name)).toEqual([
      ANTHROPIC_MODEL,
      ANTHROPIC_MODEL,
      ANTHROPIC_MODEL,
    ]);
    const all = JSON.stringify([ta, to, results]);
    expect(all).not.toContain(ANTHROPIC_KEY);
    expect(all).not.toContain(OPENAI_KEY);
  });
});
