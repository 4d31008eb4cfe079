/**
 * runHarnessAgent: runs a harness (system prompt, tools, sub-agents, orchestration) on one task in a
 * sandbox via the model named in harness.yaml, recording everything in the ATIF recorder. It never throws
 * for task-level failures (tools, deadline, a refused request) — the outcome carries the stop reason, partial
 * usage and the error line — but a systemic model fault (missing or rejected credentials, an unknown model,
 * an outage past the SDK's retries) is thrown: it says nothing about the harness and must never be scored.
 * The API key stays on the host: tools get only TOOL_INPUT/TOOL_ARG_* in their environment.
 * It does not call recorder.finish(): the trial owns the recorder and its final metrics.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { renderSystemPrompt } from '../harness/render';
import type { Harness } from '../harness/schema';
import type { LlmClient } from '../llm/client';
import { isSystemicLlmError } from '../llm/errors';
import { createLlmClient } from '../llm/provider';
import type { Usage } from '../llm/usage';
import type { Sandbox } from '../sandbox/types';
import type { StopReason } from './stop-reason';
import type { TrajectoryRecorder } from './atif/recorder';
import { createClock } from './clock';
import { Meter } from './meter';
import { initialMessages, runOrchestrated } from './orchestration';
import { createSession } from './session';
import { installCustomTools } from './tools/custom';
import type { HostTool } from './tools/host';
import { mainToolset } from './toolset';

export interface AgentOutcome {
  stopReason: StopReason;
  turns: number;
  usage: Usage;
  error: string | null;
  finalMessage: string | null;
}

export interface RunHarnessAgentOptions {
  harness: Harness;
  taskName: string;
  instruction: string;
  sandbox: Sandbox;
  recorder: TrajectoryRecorder;
  /** Epoch ms: the task's agent timeout. */
  deadlineMs: number;
  /** Default: the client for harness.yaml's model (src/llm/provider.ts), keys and base URLs from the environment. */
  llm?: LlmClient;
  signal?: AbortSignal;
  onProgress?: (e: { turn: number; usage: Usage }) => void;
  /** Extra tools run on the host (main agent only, not sub-agents), e.g. the meta-agent's validate_harness. */
  hostTools?: HostTool[];
}

export async function runHarnessAgent(opts: RunHarnessAgentOptions): Promise<AgentOutcome> {
  const { harness, recorder } = opts;
  const meter = new Meter(opts.onProgress);
  const clock = createClock(opts.deadlineMs, opts.signal);
  const outcome = (stopReason: StopReason, error: string | null, finalMessage: string | null): AgentOutcome => ({
    stopReason,
    turns: meter.turns,
    usage: meter.usage,
    error,
    finalMessage,
  });
  try {
    const llm = opts.llm ?? createLlmClient(harness.config.model);
    const system = renderSystemPrompt(harness, { instruction: opts.instruction, taskName: opts.taskName });
    recorder.addStep({ source: 'system', message: system });
    recorder.addStep({ source: 'user', message: opts.instruction });
    const session = createSession(opts.sandbox, opts.deadlineMs, clock.signal);
    if (harness.tools.length > 0) await installCustomTools(opts.sandbox, harness);
    const base = { harness, llm, parent: recorder, clock, taskName: opts.taskName, instruction: opts.instruction };
    const { registry, subDeps } = mainToolset(harness, base, opts.hostTools);
    recorder.setToolDefinitions(registry.apiTools());
    const messages: Anthropic.MessageParam[] = initialMessages(harness, opts.instruction);
    const { config } = harness;
    const r = await runOrchestrated({
      harness,
      instruction: opts.instruction,
      subDeps,
      loop: {
        llm,
        settings: { model: config.model, maxTokens: config.maxTokens, thinkingBudget: config.thinkingBudget },
        system,
        tools: registry,
        messages,
        recorder,
        session,
        clock,
        meter,
      },
    });
    return outcome(r.stopReason, r.error, r.finishSummary ?? r.lastText);
  } catch (e) {
    if (isSystemicLlmError(e)) throw e;
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return outcome(clock.timedOut() ? 'timeout' : 'error', msg.split('\n')[0] ?? msg, null);
  } finally {
    clock.dispose();
  }
}
