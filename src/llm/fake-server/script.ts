/**
 * The fake Messages API's script format: what the server answers to the N-th request. A script is an array
 * of replies (JSON-able, zod-validated, usable from a file) or a function `(request, callIndex) => reply`.
 * Replies are either assistant messages (text / tool_use / thinking blocks; ids and stop_reason filled in)
 * or errors with the real Anthropic error body for the status.
 */
import { z } from 'zod';
import { firstIssue } from '../../util/zod-issue';

const BlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), name: z.string(), input: z.unknown(), id: z.string().optional() }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
]);

const UsageSchema = z.object({
  input_tokens: z.number().int().nonnegative().default(10),
  output_tokens: z.number().int().nonnegative().default(5),
  cache_read_input_tokens: z.number().int().nonnegative().default(0),
  cache_creation_input_tokens: z.number().int().nonnegative().default(0),
});

export const MessageReplySchema = z.object({
  content: z.array(BlockSchema),
  /** Default: 'tool_use' when a tool_use block is present, else 'end_turn'. */
  stop_reason: z.enum(['end_turn', 'tool_use', 'max_tokens', 'stop_sequence']).optional(),
  usage: UsageSchema.partial().optional(),
  /** Default: the request's model. */
  model: z.string().optional(),
  /** Wait before answering (for timeout tests); the wait ends early if the client disconnects. */
  delayMs: z.number().int().nonnegative().optional(),
});

export const ErrorKind = z.enum([
  'bad_request',
  'auth',
  'permission',
  'not_found',
  'rate_limit',
  'server',
  'overloaded',
]);
export type ErrorKind = z.infer<typeof ErrorKind>;

export const ErrorReplySchema = z.object({
  error: ErrorKind,
  message: z.string().optional(),
  /** Extra response headers; rate_limit defaults to `retry-after: 0`. */
  headers: z.record(z.string()).optional(),
  delayMs: z.number().int().nonnegative().optional(),
});

/**
 * A verbatim HTTP answer (default status 200, JSON content type), for endpoints that misbehave: `{}`, an
 * HTML page from a proxy, a truncated body.
 */
export const RawReplySchema = z.object({
  raw: z.string(),
  status: z.number().int().min(100).max(599).optional(),
  contentType: z.string().optional(),
  delayMs: z.number().int().nonnegative().optional(),
});

export const ReplySchema = z.union([ErrorReplySchema, RawReplySchema, MessageReplySchema]);
export type FakeReply = z.input<typeof ReplySchema>;
export type MessageReply = z.input<typeof MessageReplySchema>;
export type ErrorReply = z.input<typeof ErrorReplySchema>;
export type RawReply = z.input<typeof RawReplySchema>;

/**
 * File format: a bare array of replies (the N-th request gets the N-th reply), or
 * `{ "replies": [...], "byTurn": true }`: each request gets the reply at its conversation's turn (the number
 * of assistant messages it carries), so one script answers many concurrent trials alike — e.g. a model that
 * says "I am done." to every task of a benchmark. In byTurn mode a retried request gets the same reply again.
 */
export const ScriptFileSchema = z.union([
  z.array(ReplySchema),
  z.object({ replies: z.array(ReplySchema), byTurn: z.boolean().optional() }).strict(),
]);

export class ScriptFileError extends Error {
  override readonly name = 'ScriptFileError';
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field}: ${message}`);
  }
}

export interface ScriptFile {
  replies: FakeReply[];
  byTurn: boolean;
}

/**
 * Parses a script file's JSON into replies. Each reply is checked against the schema its shape asks for
 * (`error` key = error reply) so a mistake is reported at its exact field, e.g. `replies.1.content.0.type`.
 */
export function parseScriptFile(json: unknown, file: string): FakeReply[] {
  return loadScriptFile(json, file).replies;
}

/** Like parseScriptFile, also returning the file's mode (see ScriptFileSchema). */
export function loadScriptFile(json: unknown, file: string): ScriptFile {
  const wrapped = !Array.isArray(json);
  const list = wrapped ? (json as { replies?: unknown } | null)?.replies : json;
  const base = wrapped ? 'replies' : '(root)';
  if (!Array.isArray(list))
    throw new ScriptFileError(file, base, 'expected an array of replies (or an object { "replies": [...] })');
  const extra = wrapped ? Object.keys(json as object).filter((k) => k !== 'replies' && k !== 'byTurn') : [];
  if (extra.length > 0) throw new ScriptFileError(file, extra[0]!, 'unknown key (allowed: replies, byTurn)');
  const byTurn = wrapped ? ((json as { byTurn?: unknown }).byTurn ?? false) : false;
  if (typeof byTurn !== 'boolean') throw new ScriptFileError(file, 'byTurn', 'expected true or false');
  const replies = list.map((item, i) => {
    const kind = typeof item === 'object' && item !== null ? item : {};
    const schema = 'error' in kind ? ErrorReplySchema : 'raw' in kind ? RawReplySchema : MessageReplySchema;
    const r = schema.safeParse(item);
    if (r.success) return item as FakeReply;
    const { field, message } = firstIssue(r.error, wrapped ? ['replies', i] : [i]);
    throw new ScriptFileError(file, field, message);
  });
  return { replies, byTurn };
}

/** A request's turn in its conversation: how many assistant messages it carries (0 for the first call). */
export function turnOf(req: { body: unknown }): number {
  const messages = (req.body as { messages?: unknown } | null)?.messages;
  return Array.isArray(messages)
    ? messages.filter((m) => (m as { role?: unknown } | null)?.role === 'assistant').length
    : 0;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (or the raw text when it was not JSON). */
  body: unknown;
  receivedAt: number;
  callIndex: number;
}

export type FakeScript = FakeReply[] | ((req: RecordedRequest, callIndex: number) => FakeReply | Promise<FakeReply>);

export const ERROR_STATUS: Record<ErrorKind, { status: number; type: string }> = {
  bad_request: { status: 400, type: 'invalid_request_error' },
  auth: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  server: { status: 500, type: 'api_error' },
  overloaded: { status: 529, type: 'overloaded_error' },
};

/** Builders that read well in tests. */
export const text = (t: string) => ({ type: 'text' as const, text: t });
export const toolUse = (name: string, input: unknown, id?: string) => ({
  type: 'tool_use' as const,
  name,
  input,
  ...(id ? { id } : {}),
});
export const thinking = (t: string) => ({ type: 'thinking' as const, thinking: t });
