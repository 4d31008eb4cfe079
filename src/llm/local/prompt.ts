/**
 * Anthropic Messages request → a plain chat (system / user / assistant texts) for a local model.
 * Small instruct models do not use the tool-call syntax of their stored chat templates reliably (measured
 * in issue 7: the Qwen2.5-Coder template gave 0 tool calls in 5 runs), but they do write fenced JSON. So the
 * tools are described in the system text, each earlier call is shown as the same fenced JSON block the model
 * is asked to write, each tool result comes back as a user turn, and the model is told to answer in plain
 * text once it is done. The chat is then rendered by the model's own chat wrapper (see engine.ts).
 */
import type Anthropic from '@anthropic-ai/sdk';

export type ChatTurn = { role: 'system' | 'user' | 'assistant'; text: string };

/** The fence that opens a tool call; engine.ts switches to grammar-constrained JSON right after it. */
export const CALL_FENCE = '```json\n';

export function renderToolCall(name: string, input: unknown): string {
  return `${CALL_FENCE}${JSON.stringify({ name, arguments: input ?? {} })}\n\`\`\``;
}

export const REPEAT_NOTE =
  'Note: you already made exactly this call before. Repeating it gives the same result: change the command or try a different approach.';

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line per argument: `- command (string, required): The command to run.` */
function describeArguments(schema: Schema): string {
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  const required = new Set(Array.isArray(schema['required']) ? (schema['required'] as unknown[]).map(String) : []);
  const lines = Object.entries(props).map(([key, p]) => {
    const prop = isObject(p) ? p : {};
    const type = Array.isArray(prop['enum'])
      ? `one of ${prop['enum'].map((v) => JSON.stringify(v)).join(', ')}`
      : String(prop['type'] ?? 'any');
    const desc = typeof prop['description'] === 'string' ? `: ${prop['description']}` : '';
    return `- ${key} (${type}${required.has(key) ? ', required' : ''})${desc}`;
  });
  return lines.length ? lines.join('\n') : '(no arguments)';
}

function toolsSystemText(tools: Anthropic.Tool[]): string {
  const first = tools[0];
  if (!first) return '';
  const example =
    first.name === 'bash' || tools.some((t) => t.name === 'bash')
      ? { name: 'bash', arguments: { command: 'ls -la' } }
      : { name: first.name, arguments: {} };
  const finish = tools.some((t) => t.name === 'finish') ? ' call the `finish` tool, or' : '';
  return [
    '# Tools',
    '',
    'You can use these tools:',
    '',
    ...tools.map(
      (t) => `## ${t.name}\n${t.description ?? ''}\nArguments:\n${describeArguments(t.input_schema as Schema)}\n`,
    ),
    'To use a tool, answer with a JSON object in a ```json fenced block, with the tool name and its arguments, like this:',
    '',
    `${CALL_FENCE}${JSON.stringify(example)}\n\`\`\``,
    '',
    'Write nothing after the block. The tool runs and its result comes back to you in the next message.',
    `Use one tool per answer. When the task is done,${finish} answer in plain text without a JSON block.`,
  ].join('\n');
}

const systemText = (system: Anthropic.MessageCreateParamsNonStreaming['system']): string =>
  typeof system === 'string' ? system : (system ?? []).map((b) => b.text).join('\n\n');

const resultText = (content: Anthropic.ToolResultBlockParam['content']): string =>
  typeof content === 'string'
    ? content
    : (content ?? []).map((b) => (b.type === 'text' ? b.text : `[${b.type} omitted]`)).join('\n');

/** The request as chat turns, ending with a user turn (the model answers next). */
export function toChatTurns(req: Anthropic.MessageCreateParamsNonStreaming): ChatTurn[] {
  const tools = (req.tools ?? []).filter((t): t is Anthropic.Tool => 'input_schema' in t);
  const system = [systemText(req.system), toolsSystemText(tools)].filter(Boolean).join('\n\n');
  const turns: ChatTurn[] = system ? [{ role: 'system', text: system }] : [];
  const callNames = new Map<string, string>();
  const seenCalls = new Set<string>();
  const repeated = new Set<string>();
  for (const m of req.messages) {
    const blocks = typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
    const parts: string[] = [];
    for (const b of blocks) {
      if (b.type === 'text') parts.push(b.text);
      else if (b.type === 'tool_use') {
        callNames.set(b.id, b.name);
        const call = renderToolCall(b.name, b.input);
        if (seenCalls.has(call)) repeated.add(b.id);
        seenCalls.add(call);
        parts.push(call);
      } else if (b.type === 'tool_result') {
        const name = callNames.get(b.tool_use_id) ?? 'tool';
        parts.push(`${b.is_error ? 'Error from' : 'Result of'} ${name}:\n${resultText(b.content) || '(no output)'}`);
        // Small models repeat a failing call word for word; say so, the way a person watching would.
        if (repeated.has(b.tool_use_id)) parts.push(REPEAT_NOTE);
      } else if (b.type === 'image' || b.type === 'document') parts.push(`[${b.type} omitted]`);
      // thinking blocks are the API's own; a local model never sees them
    }
    const text = parts.join('\n\n');
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.text = `${last.text}\n\n${text}`;
    else turns.push({ role, text });
  }
  return turns;
}
