/**
 * Chat Completions response → Messages API `Message`, checked with zod first (a 200 that is not a chat
 * completion is an LlmBadResponseError, as on the Anthropic path):
 *   reasoning_content / reasoning → a thinking block (recorded as the step's reasoning, never sent back)
 *   content (or a refusal)        → a text block
 *   tool_calls                    → tool_use blocks; arguments that are not valid JSON stay the raw string,
 *                                   so the tool's input check answers the model with an is_error result
 *   finish_reason                 → stop_reason (stop→end_turn, tool_calls→tool_use, length→max_tokens,
 *                                   content_filter→refusal)
 *   usage                         → prompt tokens minus cached ones = input, cached = cache reads
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { LlmBadResponseError } from '../errors';
import { previewOf } from '../message-shape';
import { firstIssue } from '../../util/zod-issue';

const count = z.number().nonnegative().nullish();

const ToolCallSchema = z
  .object({
    id: z.string().nullish(),
    type: z.string().nullish(),
    function: z.object({ name: z.string().min(1), arguments: z.string().nullish() }).passthrough(),
  })
  .passthrough();

const ChatCompletionShapeSchema = z
  .object({
    id: z.string().nullish(),
    model: z.string().nullish(),
    choices: z
      .array(
        z
          .object({
            finish_reason: z.string().nullish(),
            message: z
              .object({
                content: z.string().nullish(),
                refusal: z.string().nullish(),
                reasoning_content: z.string().nullish(),
                reasoning: z.string().nullish(),
                tool_calls: z.array(ToolCallSchema).nullish(),
              })
              .passthrough(),
          })
          .passthrough(),
      )
      .min(1),
    usage: z
      .object({
        prompt_tokens: count,
        completion_tokens: count,
        prompt_tokens_details: z.object({ cached_tokens: count }).passthrough().nullish(),
      })
      .passthrough()
      .nullish(),
  })
  .passthrough();
type ChatCompletionShape = z.infer<typeof ChatCompletionShapeSchema>;

const WHO = 'the OpenAI-compatible endpoint';

/** Validates `body` as a chat completion and translates its first choice into a Message for `model`. */
export function fromChatCompletion(body: unknown, model: string, requestId: string | null = null): Anthropic.Message {
  const r = ChatCompletionShapeSchema.safeParse(body);
  if (!r.success) {
    const { field: where, message } = firstIssue(r.error, [], '(body)');
    const what =
      typeof body === 'object' && body !== null
        ? 'a JSON object that is not a chat completion'
        : `a ${typeof body} that is not a chat completion`;
    throw new LlmBadResponseError(
      `${WHO} answered with ${what} (${where}: ${message}); body starts: ${previewOf(body)}`,
      200,
      requestId,
    );
  }
  return toMessage(r.data, model);
}

function toMessage(c: ChatCompletionShape, model: string): Anthropic.Message {
  const choice = c.choices[0]!;
  const m = choice.message;
  const content: Anthropic.ContentBlock[] = [];
  const reasoning = m.reasoning_content ?? m.reasoning;
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = m.content || (m.refusal ?? '');
  if (text) content.push({ type: 'text', text, citations: null });
  (m.tool_calls ?? []).forEach((t, i) => {
    content.push({
      type: 'tool_use',
      id: t.id || `call_${c.id ?? 'x'}_${i}`,
      name: t.function.name,
      input: parseArguments(t.function.arguments),
      caller: { type: 'direct' },
    });
  });
  const hasCalls = (m.tool_calls ?? []).length > 0;
  return {
    id: c.id ?? `chatcmpl_${Date.now().toString(36)}`,
    type: 'message',
    role: 'assistant',
    model: c.model ?? model,
    content,
    stop_reason: stopReason(choice.finish_reason ?? null, hasCalls),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usageOf(c.usage),
  };
}

/** The arguments as an object when they are JSON, `{}` when empty, else the raw string (see module comment). */
export function parseArguments(args: string | null | undefined): unknown {
  if (args === null || args === undefined || args.trim() === '') return {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/**
 * Some servers (Ollama, llama.cpp with some templates) answer `stop` to a turn with tool calls: the calls
 * decide, as they do for the loop. content_filter is the server refusing to continue.
 */
export function stopReason(finish: string | null, hasCalls: boolean): Anthropic.StopReason {
  if (finish === 'length') return 'max_tokens';
  if (finish === 'content_filter') return 'refusal';
  if (hasCalls || finish === 'tool_calls' || finish === 'function_call') return 'tool_use';
  return 'end_turn';
}

function usageOf(u: ChatCompletionShape['usage']): Anthropic.Usage {
  const prompt = u?.prompt_tokens ?? 0;
  const cached = Math.min(u?.prompt_tokens_details?.cached_tokens ?? 0, prompt);
  return {
    input_tokens: prompt - cached,
    output_tokens: u?.completion_tokens ?? 0,
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: null,
  } as Anthropic.Usage;
}
