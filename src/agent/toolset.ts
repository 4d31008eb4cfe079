/**
 * Assembles the tools for the main agent (enabled built-ins + custom tools + agent_<name> sub-agents +
 * host tools + finish) and for sub-agents (the built-in / custom names they list + finish).
 */
import type { Harness } from '../harness/schema';
import { builtinTools, finishTool, type BuiltinOptions } from './tools/builtin';
import { customTool } from './tools/custom';
import { hostTool, type HostTool } from './tools/host';
import { ToolRegistry } from './tools/registry';
import { subagentTool, type SubAgentDeps } from './tools/subagents';
import type { AgentTool } from './tools/types';

const SUBAGENT_FINISH =
  'Call this when your sub-task is done, with your complete answer: it is returned to the agent that delegated to you.';

function builtinOptions(h: Harness): BuiltinOptions {
  return { bashTimeoutSec: h.config.bash.timeoutSec, maxOutputBytes: h.config.bash.maxOutputBytes };
}

/** Tools by name (built-ins and custom tools only) for a sub-agent; unknown names are skipped. */
export function subagentToolset(h: Harness, names: string[]): ToolRegistry {
  const o = builtinOptions(h);
  const tools: AgentTool[] = builtinTools(names, o);
  for (const t of h.tools) if (names.includes(t.name)) tools.push(customTool(t, o.maxOutputBytes));
  tools.push(finishTool(SUBAGENT_FINISH));
  return new ToolRegistry(tools);
}

export function mainToolset(
  h: Harness,
  deps: Omit<SubAgentDeps, 'toolsFor'>,
  hostTools: HostTool[] = [],
): { registry: ToolRegistry; subDeps: SubAgentDeps } {
  const o = builtinOptions(h);
  const subDeps: SubAgentDeps = { ...deps, toolsFor: (names) => subagentToolset(h, names) };
  const tools: AgentTool[] = [
    ...builtinTools(h.config.tools, o),
    ...h.tools.map((t) => customTool(t, o.maxOutputBytes)),
    ...h.agents.map((a) => subagentTool(subDeps, a)),
    ...hostTools.map(hostTool),
    finishTool(),
  ];
  return { registry: new ToolRegistry(tools), subDeps };
}
