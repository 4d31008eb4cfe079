/**
 * The set of tools one loop offers the model, and the single place tool calls are dispatched: unknown
 * names, invalid inputs and thrown errors all come back as is_error results so the run continues — except a
 * systemic model fault from a sub-agent, which ends the whole run (it is never the task's doing).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { isSystemicLlmError } from '../../llm/errors';
import type { SandboxSession } from '../session';
import type { AgentTool, ToolCallInfo, ToolOutput } from './types';
import { errorText } from '../../util/error-text';

export class ToolRegistry {
  private readonly byName = new Map<string, AgentTool>();

  constructor(tools: AgentTool[]) {
    for (const t of tools) {
      if (this.byName.has(t.name)) throw new Error(`duplicate tool name "${t.name}"`);
      this.byName.set(t.name, t);
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** Tool definitions for the Messages API request. */
  apiTools(): Anthropic.Tool[] {
    return [...this.byName.values()].map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.inputSchema as Anthropic.Tool.InputSchema,
    }));
  }

  async dispatch(call: ToolCallInfo & { input: unknown }, session: SandboxSession): Promise<ToolOutput> {
    const tool = this.byName.get(call.name);
    if (!tool)
      return { content: `Unknown tool "${call.name}". Available tools: ${this.names.join(', ')}.`, isError: true };
    try {
      return await tool.invoke(call.input, session, { id: call.id, name: call.name });
    } catch (e) {
      // A sub-agent's systemic model fault is the run's fault, not a tool result the model could work around.
      if (isSystemicLlmError(e)) throw e;
      return { content: `Tool "${call.name}" failed: ${errorText(e)}`, isError: true };
    }
  }
}
