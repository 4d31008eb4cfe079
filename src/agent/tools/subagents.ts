/**
 * Sub-agents (agents/<name>.md) as tools `agent_<name>` with input {task}: each call runs a nested loop
 * with the sub-agent's own prompt, model, tools and turn budget in the same sandbox, records it as a
 * sub-trajectory linked from the calling step, and returns its final text (finish summary or last reply).
 */
import { z } from 'zod';
import { TrajectoryRecorder } from '../atif/recorder';
import type { LlmClient } from '../../llm/client';
import type { Usage } from '../../llm/usage';
import { renderTemplate } from '../../harness/render';
import { SUBAGENT_TOOL_PREFIX, type Harness, type SubAgent } from '../../harness/schema';
import type { StopReason } from '../../trial/types';
import type { RunClock } from '../clock';
import { runLoop } from '../loop';
import { Meter } from '../meter';
import type { SandboxSession } from '../session';
import { zodParse } from './builtin';
import type { ToolRegistry } from './registry';
import { defineTool, type AgentTool } from './types';

export interface SubAgentDeps {
  harness: Harness;
  llm: LlmClient;
  parent: TrajectoryRecorder;
  clock: RunClock;
  taskName: string;
  instruction: string;
  /** Builds the tools a sub-agent may use (built-ins/custom by name, plus finish; never other sub-agents). */
  toolsFor(names: string[]): ToolRegistry;
}

export interface SubAgentRun {
  text: string;
  stopReason: StopReason;
  usage: Usage;
  error: string | null;
}

const SubagentInput = z.object({ task: z.string().min(1) });
/** Per-parent call counter, so sub-trajectory session ids are unique and stable within a run. */
const calls = new WeakMap<TrajectoryRecorder, number>();

export async function runSubAgent(
  deps: SubAgentDeps,
  sa: SubAgent,
  task: string,
  session: SandboxSession,
  toolCallId?: string,
): Promise<SubAgentRun> {
  const started = Date.now();
  const n = (calls.get(deps.parent) ?? 0) + 1;
  calls.set(deps.parent, n);
  const model = sa.model ?? deps.harness.config.model;
  const system = renderTemplate(sa.prompt, { instruction: deps.instruction, taskName: deps.taskName });
  const recorder = new TrajectoryRecorder({
    sessionId: `${deps.parent.sessionId}/${SUBAGENT_TOOL_PREFIX}${sa.name}/${n}`,
    agentName: `${SUBAGENT_TOOL_PREFIX}${sa.name}`,
    model,
  });
  recorder.addStep({ source: 'system', message: system });
  recorder.addStep({ source: 'user', message: task });
  const meter = new Meter();
  const { config } = deps.harness;
  const tools = deps.toolsFor(sa.tools);
  recorder.setToolDefinitions(tools.apiTools());
  const r = await runLoop({
    llm: deps.llm,
    settings: { model, maxTokens: config.maxTokens, thinkingBudget: config.thinkingBudget },
    system,
    tools,
    messages: [{ role: 'user', content: [{ type: 'text', text: task }] }],
    maxTurns: sa.maxTurns,
    recorder,
    session,
    clock: deps.clock,
    meter,
  });
  recorder.finish({
    usage: meter.usage,
    turns: meter.turns,
    durationMs: Date.now() - started,
    stopReason: r.stopReason,
  });
  deps.parent.addSubagentTrajectory(sa.name, recorder, toolCallId ? { toolCallId } : {});
  const text =
    r.finishSummary ??
    r.lastText ??
    `(sub-agent ${sa.name} produced no answer; stopped: ${r.stopReason}${r.error ? `, ${r.error}` : ''})`;
  return { text, stopReason: r.stopReason, usage: meter.usage, error: r.error };
}

export function subagentTool(deps: SubAgentDeps, sa: SubAgent): AgentTool {
  return defineTool({
    name: `${SUBAGENT_TOOL_PREFIX}${sa.name}`,
    description: `${sa.description} (Delegates to the sub-agent "${sa.name}", which works in the same environment and returns its final answer.)`,
    inputSchema: {
      type: 'object',
      properties: {
        task: { type: 'string', description: 'What the sub-agent should do, with all the context it needs.' },
      },
      required: ['task'],
    },
    parse: (i) => zodParse(SubagentInput, i),
    async run({ task }, session, call) {
      const r = await runSubAgent(deps, sa, task, session, call.id);
      return { content: r.text, isError: r.stopReason === 'error' || r.stopReason === 'timeout', usage: r.usage };
    },
  });
}
