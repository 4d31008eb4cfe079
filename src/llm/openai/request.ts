/**
 * Messages API request → Chat Completions request. The agent loop speaks Anthropic Messages; an
 * OpenAI-compatible server (vLLM, Ollama, llama.cpp, LiteLLM, OpenRouter) gets the same conversation:
 *   system blocks (with cache_control)  → one `system` message, texts joined
 *   assistant text / tool_use           → `content` + `tool_calls` (arguments as a JSON string)
 *   user text / tool_result             → `tool` messages (one per result, right after the calls) then `user`
 *   tools / tool_choice                 → `function` tools / auto | required | none | named function
 * Anthropic-only parts are dropped: cache_control, thinking blocks (their signatures mean nothing to
 * another server), the thinking budget. The output cap goes out as `max_tokens`, which every
 * OpenAI-compatible server reads, or as `max_completion_tokens` for OpenAI's own API, whose reasoning
 * models refuse `max_tokens`.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';

type ChatParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ToolCall = OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;

/** Prefix of a tool message whose Anthropic tool_result had `is_error: true` (Chat Completions has no flag). */
export const TOOL_ERROR_PREFIX = 'Error: ';

export interface ChatRequestOptions {
  /** Default `max_tokens`. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

export function toChatRequest(
  req: Anthropic.MessageCreateParamsNonStreaming,
  opts: ChatRequestOptions = {},
): ChatParams {
  const messages: ChatMessage[] = [];
  const system = systemText(req.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const m of req.messages)
    messages.push(...(m.role === 'assistant' ? [assistantMessage(m.content)] : userMessages(m.content)));
  const tools = (req.tools ?? []).flatMap((t) => (isCustomTool(t) ? [functionTool(t)] : []));
  const choice = req.tool_choice;
  return {
    model: req.model,
    messages,
    [opts.maxTokensField ?? 'max_tokens']: req.max_tokens,
    ...(tools.length > 0 ? { tools } : {}),
    ...(choice && tools.length > 0 ? { tool_choice: toolChoice(choice) } : {}),
    ...(choice && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use && tools.length > 0
      ? { parallel_tool_calls: false }
      : {}),
    ...(req.stop_sequences?.length ? { stop: req.stop_sequences } : {}),
    stream: false,
  };
}

function systemText(system: Anthropic.MessageCreateParamsNonStreaming['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system.map((b) => b.text).join('\n\n');
}

function assistantMessage(content: Anthropic.MessageParam['content']): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const text = content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  const toolCalls: ToolCall[] = content.flatMap((b) =>
    b.type === 'tool_use'
      ? [{ id: b.id, type: 'function' as const, function: { name: b.name, arguments: argumentsOf(b.input) } }]
      : [],
  );
  // A tool-calling turn without text has `content: null`, as OpenAI's own responses do.
  return {
    role: 'assistant',
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

/**
 * The model's arguments as it wrote them: a string input is what `fromChatCompletion` keeps when the model's
 * JSON did not parse, so the conversation shows the model its own malformed call.
 */
const argumentsOf = (input: unknown): string => (typeof input === 'string' ? input : JSON.stringify(input ?? {}));

/** Tool results first (they must directly follow the assistant's tool_calls), then the user's own text. */
function userMessages(content: Anthropic.MessageParam['content']): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const out: ChatMessage[] = [];
  const texts: string[] = [];
  for (const b of content) {
    if (b.type === 'tool_result') out.push({ role: 'tool', tool_call_id: b.tool_use_id, content: toolResultText(b) });
    else if (b.type === 'text') texts.push(b.text);
    else if (b.type === 'image') texts.push('[image omitted: not sent to this provider]');
    else if (b.type === 'document') texts.push('[document omitted: not sent to this provider]');
  }
  if (texts.length > 0) out.push({ role: 'user', content: texts.join('\n') });
  return out;
}

function toolResultText(b: Anthropic.ToolResultBlockParam): string {
  const body =
    typeof b.content === 'string'
      ? b.content
      : (b.content ?? []).map((c) => (c.type === 'text' ? c.text : `[${c.type} omitted]`)).join('\n');
  const text = body || '(no output)';
  return b.is_error ? `${TOOL_ERROR_PREFIX}${text}` : text;
}

function isCustomTool(t: Anthropic.ToolUnion): t is Anthropic.Tool {
  return 'input_schema' in t;
}

function functionTool(t: Anthropic.Tool): OpenAI.Chat.Completions.ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: {
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      parameters: t.input_schema as Record<string, unknown>,
    },
  };
}

function toolChoice(c: Anthropic.ToolChoice): OpenAI.Chat.Completions.ChatCompletionToolChoiceOption {
  switch (c.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: c.name } };
  }
}
