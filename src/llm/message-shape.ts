/**
 * The response boundary of the Anthropic client (the OpenAI one checks a chat completion's shape in
 * openai/response.ts): a 2xx answer is checked against the shape of a Messages API `Message` before the
 * agent loop sees it, so a proxy's HTML page, `{}` or a half-written body becomes one
 * typed, retryable `LlmBadResponseError` with a clear message instead of a TypeError deep in the loop.
 * The check is deliberately loose where the loop does not look (unknown block types and extra fields pass
 * through untouched), strict where it does (content blocks, usage counts).
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { LlmBadResponseError } from './errors';
import { firstIssue } from '../util/zod-issue';

const count = z.number().int().nonnegative();

const BlockSchema = z.union([
  z.object({ type: z.literal('text'), text: z.string() }).passthrough(),
  z
    .object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown() })
    .passthrough(),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }).passthrough(),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }).passthrough(),
  // Server tool blocks and future block types: the loop ignores what it does not know.
  z
    .object({ type: z.string().refine((t) => !['text', 'tool_use', 'thinking', 'redacted_thinking'].includes(t)) })
    .passthrough(),
]);

const MessageShapeSchema = z
  .object({
    type: z.literal('message'),
    role: z.literal('assistant'),
    content: z.array(BlockSchema),
    stop_reason: z.string().nullish(),
    usage: z
      .object({
        input_tokens: count,
        output_tokens: count,
        cache_read_input_tokens: count.nullish(),
        cache_creation_input_tokens: count.nullish(),
      })
      .passthrough(),
  })
  .passthrough();

/** A short, single-line preview of what came back, for the error message. */
export function previewOf(body: unknown, max = 120): string {
  let s: string;
  try {
    s = typeof body === 'string' ? body : (JSON.stringify(body) ?? String(body));
  } catch {
    s = String(body);
  }
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s || '(empty)';
}

/**
 * `body` as a Message, or LlmBadResponseError naming the first field that is wrong. `who` names the
 * endpoint in the message ("the Anthropic Messages API", "the OpenAI-compatible endpoint").
 */
export function checkMessage(body: unknown, who: string, requestId: string | null = null): Anthropic.Message {
  const r = MessageShapeSchema.safeParse(body);
  if (r.success) return body as Anthropic.Message;
  const { field: where, message } = firstIssue(r.error, [], '(body)');
  const what =
    typeof body === 'object' && body !== null
      ? 'a JSON object that is not a message'
      : `a ${typeof body} that is not a message`;
  throw new LlmBadResponseError(
    `${who} answered with ${what} (${where}: ${message}); body starts: ${previewOf(body)}`,
    200,
    requestId,
  );
}
