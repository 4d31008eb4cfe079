/**
 * The Messages API tool-use loop: call the model, record the step, run the tools it asked for, feed the
 * results back, until `finish`, a reply without tool use, the turn budget, a second max_tokens in a row,
 * or the deadline. Task-level model failures (a refused request) and tool failures end the loop with a stop
 * reason; a systemic model fault (credentials, configuration, an outage past the SDK's retries) is thrown, so
 * no trial is ever scored on it (src/llm/errors.ts).
 * The conversation array is owned by the caller (orchestration appends to it between loops).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { TrajectoryRecorder } from './atif/recorder';
import type { LlmClient } from '../llm/client';
import { LlmAbortedError, LlmError, isSystemicLlmError } from '../llm/errors';
import { priceFor } from '../llm/pricing';
import { usageFromResponse } from '../llm/usage';
import type { StopReason } from './stop-reason';
import type { RunClock } from './clock';
import { appendUserText, reasoningOf, textOf, toParamBlocks, withCacheBreakpoint } from './messages';
import type { Meter } from './meter';
import type { SandboxSession } from './session';
import type { ToolRegistry } from './tools/registry';

interface ModelSettings {
  model: string;
  maxTokens: number;
  thinkingBudget: number;
}

export interface LoopOptions {
  llm: LlmClient;
  settings: ModelSettings;
  system: string;
  tools: ToolRegistry;
  messages: Anthropic.MessageParam[];
  /** Model calls this loop may still make. */
  maxTurns: number;
  toolChoice?: Anthropic.ToolChoice;
  recorder: TrajectoryRecorder;
  session: SandboxSession;
  clock: RunClock;
  meter: Meter;
}

export interface LoopResult {
  stopReason: StopReason;
  /** The `finish` summary, when the model called finish. */
  finishSummary: string | null;
  /** Text of the last model reply. */
  lastText: string | null;
  error: string | null;
}

const MAX_TOKENS_NUDGE =
  'Your last response hit the max_tokens limit and was cut off (any tool call in it was dropped). ' +
  'Continue, keeping each response shorter: split large files into several smaller writes or edits.';

export async function runLoop(o: LoopOptions): Promise<LoopResult> {
  let lastText: string | null = null;
  let cutOff = false;
  for (let turn = 0; ; turn++) {
    if (o.clock.signal.aborted) return stopped(o.clock, lastText);
    if (turn >= o.maxTurns) return { stopReason: 'max_turns', finishSummary: null, lastText, error: null };
    let resp: Anthropic.Message;
    try {
      resp = await o.llm.createMessage(buildRequest(o), { signal: o.clock.signal });
    } catch (e) {
      if (e instanceof LlmAbortedError || o.clock.signal.aborted) return stopped(o.clock, lastText);
      if (isSystemicLlmError(e)) throw e;
      const msg =
        e instanceof LlmError ? `${e.name}: ${e.message}` : `model call failed: ${(e as Error).message ?? String(e)}`;
      return { stopReason: 'error', finishSummary: null, lastText, error: msg };
    }
    const stepId = recordResponse(o, resp);
    lastText = textOf(resp.content) || lastText;
    const blocks = toParamBlocks(resp.content);

    if (resp.stop_reason === 'model_context_window_exceeded') {
      return {
        stopReason: 'max_tokens',
        finishSummary: null,
        lastText,
        error: 'the conversation exceeded the model context window',
      };
    }
    if (resp.stop_reason === 'max_tokens') {
      const kept = blocks.filter((b) => b.type !== 'tool_use');
      if (kept.some((b) => b.type === 'text' || b.type === 'thinking'))
        o.messages.push({ role: 'assistant', content: kept });
      if (cutOff) return { stopReason: 'max_tokens', finishSummary: null, lastText, error: null };
      cutOff = true;
      appendUserText(o.messages, MAX_TOKENS_NUDGE);
      continue;
    }
    cutOff = false;
    const calls = resp.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    if (blocks.length > 0) o.messages.push({ role: 'assistant', content: blocks });
    if (calls.length === 0) return { stopReason: 'end_turn', finishSummary: null, lastText, error: null };

    const finishSummary = await runTools(o, calls, stepId);
    if (finishSummary !== null) return { stopReason: 'finished', finishSummary, lastText, error: null };
  }
}

function buildRequest(o: LoopOptions): Anthropic.MessageCreateParamsNonStreaming {
  const s = o.settings;
  const thinking = s.thinkingBudget > 0;
  return {
    model: s.model,
    max_tokens: s.maxTokens,
    system: [{ type: 'text', text: o.system, cache_control: { type: 'ephemeral' } }],
    messages: withCacheBreakpoint(o.messages),
    tools: o.tools.apiTools(),
    ...(o.toolChoice ? { tool_choice: o.toolChoice } : {}),
    ...(thinking ? { thinking: { type: 'enabled', budget_tokens: s.thinkingBudget } } : {}),
  };
}

function recordResponse(o: LoopOptions, resp: Anthropic.Message): number {
  const model = resp.model || o.settings.model;
  const usage = usageFromResponse(model, resp.usage);
  o.meter.addTurn(usage);
  const calls = resp.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
  const reasoning = reasoningOf(resp.content);
  return o.recorder.addStep({
    source: 'agent',
    message: textOf(resp.content),
    ...(reasoning !== undefined ? { reasoning } : {}),
    toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: c.input })),
    model,
    usage,
    extra: { stop_reason: resp.stop_reason, ...priceFlags(model) },
  });
}

/** Step extras that qualify the cost: `priced: false` (a guess or unknown), `local: true` ($0, run on this machine). */
function priceFlags(model: string): { priced?: false; local?: true } {
  const p = priceFor(model);
  return { ...(p.priced ? {} : { priced: false as const }), ...(p.local ? { local: true as const } : {}) };
}

/** Runs the calls in order, records observations, appends the tool_result turn; returns a finish summary if any. */
async function runTools(o: LoopOptions, calls: Anthropic.ToolUseBlock[], stepId: number): Promise<string | null> {
  const results: Anthropic.ToolResultBlockParam[] = [];
  let finish: string | null = null;
  for (const c of calls) {
    const out = await o.tools.dispatch({ id: c.id, name: c.name, input: c.input }, o.session);
    if (out.usage) o.meter.addToolUsage(out.usage);
    if (out.finish && finish === null) finish = out.finish.summary;
    results.push({
      type: 'tool_result',
      tool_use_id: c.id,
      content: out.content || '(no output)',
      ...(out.isError ? { is_error: true } : {}),
    });
    o.recorder.addObservations(stepId, [{ toolCallId: c.id, content: out.content, isError: out.isError }]);
  }
  o.messages.push({ role: 'user', content: results });
  return finish;
}

function stopped(clock: RunClock, lastText: string | null): LoopResult {
  return clock.timedOut()
    ? { stopReason: 'timeout', finishSummary: null, lastText, error: null }
    : { stopReason: 'error', finishSummary: null, lastText, error: 'aborted by the caller' };
}
