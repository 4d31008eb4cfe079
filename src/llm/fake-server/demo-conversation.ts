/**
 * The demo model's view of a Messages API request: everything it decides from is read back out of the
 * request itself (system prompt, first user message, the tool calls made so far and their results), so the
 * server keeps no per-conversation memory and any number of concurrent conversations just work.
 */
import { z } from 'zod';

const TextBlock = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const AnyBlock = z.object({ type: z.string() }).passthrough();
const Content = z.union([z.string(), z.array(AnyBlock)]);

/** Only the fields the demo reads; the server has already validated the request's overall shape. */
const DemoRequestSchema = z.object({
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: Content })).min(1),
  tools: z.array(z.object({ name: z.string() }).passthrough()).optional(),
  tool_choice: z.object({ type: z.string() }).passthrough().optional(),
});

interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  /** The tool_result text sent back for this call ('' when not answered yet). */
  result: string;
}

export interface Conversation {
  system: string;
  /** Text of the first user message: the task instruction (or a sub-agent's task). */
  firstUser: string;
  /** Every tool call the model made so far, in order, with its result. */
  calls: ToolCall[];
  /** Names of the tools offered in this request. */
  tools: string[];
  /** True when the request forbids tool use (the planFirst turn). */
  toolsForbidden: boolean;
}

type Block = z.infer<typeof AnyBlock>;

const blocks = (c: z.infer<typeof Content>): Block[] => (typeof c === 'string' ? [{ type: 'text', text: c }] : c);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: { type?: unknown; text?: unknown }) => (b?.type === 'text' && typeof b.text === 'string' ? b.text : ''))
    .join('\n');
}

/** Parses a request body; throws a zod error naming the field when it lacks what the demo needs. */
export function readConversation(body: unknown): Conversation {
  const req = DemoRequestSchema.parse(body);
  const system = typeof req.system === 'string' ? req.system : (req.system ?? []).map((b) => b.text).join('\n');
  const results = new Map<string, string>();
  for (const m of req.messages) {
    if (m.role !== 'user') continue;
    for (const b of blocks(m.content)) {
      if (b.type === 'tool_result' && typeof b['tool_use_id'] === 'string')
        results.set(b['tool_use_id'], textOf(b['content']));
    }
  }
  const calls: ToolCall[] = [];
  for (const m of req.messages) {
    if (m.role !== 'assistant') continue;
    for (const b of blocks(m.content)) {
      if (b.type !== 'tool_use' || typeof b['name'] !== 'string') continue;
      const input =
        typeof b['input'] === 'object' && b['input'] !== null ? (b['input'] as Record<string, unknown>) : {};
      calls.push({ name: b['name'], input, result: results.get(String(b['id'])) ?? '' });
    }
  }
  return {
    system,
    firstUser: textOf(req.messages[0]?.content),
    calls,
    tools: (req.tools ?? []).map((t) => t.name),
    toolsForbidden: req.tool_choice?.type === 'none',
  };
}
