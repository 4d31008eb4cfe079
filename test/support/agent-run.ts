/**
 * Helpers for end-to-end agent runs: the real Anthropic SDK talks HTTP to the local fake Messages API and
 * the agent acts on an in-memory sandbox. Call `closeFakes` in afterEach: it stops every fake server
 * the helpers started.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { runHarnessAgent, type AgentOutcome } from '../../src/agent/harness-agent';
import type { HostTool } from '../../src/agent/tools/host';
import { HarnessConfigSchema, type Harness } from '../../src/harness/schema';
import { createAnthropicClient } from '../../src/llm/client';
import { startFakeAnthropic, type FakeAnthropic, type FakeScript } from './fake-anthropic';
import { MemorySandbox } from './memory-sandbox';

export const MODEL = 'claude-sonnet-4-6';
/** The API key the runs use: tests check it never reaches the sandbox or the trajectory. */
export const KEY = 'test-secret-key-7f3a9c';

const open: FakeAnthropic[] = [];

/** Starts a fake Messages API that closeFakes() will stop. */
export async function startFake(script: FakeScript): Promise<FakeAnthropic> {
  const f = await startFakeAnthropic(script);
  open.push(f);
  return f;
}

export async function closeFakes(): Promise<void> {
  await Promise.all(open.splice(0).map((f) => f.close()));
}

export function makeHarness(config: Record<string, unknown> = {}, extra: Partial<Harness> = {}): Harness {
  return {
    dir: '/nonexistent-harness-dir',
    id: 'h-test',
    config: HarnessConfigSchema.parse({ model: MODEL, ...config }),
    systemTemplate: 'You are a careful agent working on {{task_name}}.',
    tools: [],
    agents: [],
    files: {},
    warnings: [],
    ...extra,
  };
}

export interface Run {
  outcome: AgentOutcome;
  sb: MemorySandbox;
  recorder: TrajectoryRecorder;
  fake: FakeAnthropic;
  body(i: number): Anthropic.MessageCreateParamsNonStreaming;
}

export interface RunOptions {
  deadlineMs?: number;
  maxRetries?: number;
  hostTools?: HostTool[];
}

/** Runs the harness agent on a demo task against a fake API answering with `script`. */
export async function runScripted(script: FakeScript, harness = makeHarness(), o: RunOptions = {}): Promise<Run> {
  const f = await startFake(script);
  const sb = new MemorySandbox('/app');
  const recorder = new TrajectoryRecorder({
    sessionId: 'sess-1',
    agentName: 'autoagent-harness',
    model: harness.config.model,
  });
  const outcome = await runHarnessAgent({
    harness,
    taskName: 'demo-task',
    instruction: 'Create out.txt and notes.md.',
    sandbox: sb,
    recorder,
    deadlineMs: o.deadlineMs ?? Date.now() + 60_000,
    llm: createAnthropicClient({ apiKey: KEY, baseURL: f.url, maxRetries: o.maxRetries ?? 3 }),
    ...(o.hostTools ? { hostTools: o.hostTools } : {}),
  });
  return {
    outcome,
    sb,
    recorder,
    fake: f,
    body: (i) => f.requests[i]!.body as Anthropic.MessageCreateParamsNonStreaming,
  };
}

/** The tool_result blocks of the last user message of request i. */
export function toolResults(r: Run, i: number): Anthropic.ToolResultBlockParam[] {
  const last = r.body(i).messages.at(-1)!;
  return (last.content as Anthropic.ContentBlockParam[]).filter(
    (b): b is Anthropic.ToolResultBlockParam => b.type === 'tool_result',
  );
}

export const toolNames = (b: Anthropic.MessageCreateParamsNonStreaming): string[] =>
  (b.tools as { name: string }[]).map((t) => t.name);

/** The text blocks of the last user message of request i, joined. */
export const userTexts = (r: Run, i: number): string =>
  (r.body(i).messages.at(-1)!.content as Anthropic.ContentBlockParam[])
    .flatMap((b) => (b.type === 'text' ? [b.text] : []))
    .join('\n');
