/**
 * A local stand-in for the Anthropic Messages API (POST /v1/messages) on 127.0.0.1:<port>, answering from
 * a script and recording every request. Tests point the real SDK at it via baseURL, so retries, headers
 * and error bodies go through the same code paths as production.
 */
import http from 'node:http';
import {
  ERROR_STATUS,
  ErrorReplySchema,
  MessageReplySchema,
  RawReplySchema,
  type FakeScript,
  type RecordedRequest,
} from './script';
import { listenLocal, nextReply, readRequest, sendJson, sendRaw, wait } from './http';
import { validateMessagesRequest } from './validate';

/** Anthropic's request id header. */
const REQUEST_ID = 'request-id';

export interface FakeAnthropic {
  /** Base URL to give the SDK (no trailing slash, no /v1). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Stops listening (new connections are refused: a server that is down) and drops open connections. */
  down(): Promise<void>;
  /** Listens again on the same port after down(). */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeAnthropic(script: FakeScript, opts: { port?: number } = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  let seq = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) =>
      sendError(res, 500, 'api_error', `fake server bug: ${(e as Error).message}`),
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { body, path } = await readRequest(req);
    if (req.method !== 'POST' || path !== '/v1/messages')
      return sendError(res, 404, 'not_found_error', `no route ${req.method} ${path}`);
    const callIndex = requests.length;
    const rec: RecordedRequest = {
      method: req.method,
      path,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
      callIndex,
    };
    requests.push(rec);
    if (!apiKeyOf(req.headers)) return sendError(res, 401, 'authentication_error', 'x-api-key header is required');
    const invalid = typeof body === 'string' ? 'body: not valid JSON' : validateMessagesRequest(body);
    if (invalid) return sendError(res, 400, 'invalid_request_error', invalid);

    const reply = await nextReply(script, rec, callIndex, 'fake-anthropic');
    if (reply.delayMs && !(await wait(reply.delayMs, res))) return; // client went away
    if ('raw' in reply) return sendRaw(res, RawReplySchema.parse(reply));
    if ('error' in reply) {
      const e = ErrorReplySchema.parse(reply);
      const { status, type } = ERROR_STATUS[e.error];
      const headers = { ...(e.error === 'rate_limit' ? { 'retry-after': '0' } : {}), ...(e.headers ?? {}) };
      return sendError(res, status, type, e.message ?? defaultMessage(e.error), headers);
    }
    const m = MessageReplySchema.parse(reply);
    const model = m.model ?? String((body as { model: unknown }).model);
    const content = m.content.map((b) => {
      if (b.type === 'tool_use')
        return { type: 'tool_use', id: b.id ?? `toolu_fake_${++seq}`, name: b.name, input: b.input ?? {} };
      if (b.type === 'thinking')
        return { type: 'thinking', thinking: b.thinking, signature: b.signature ?? `sig_fake_${++seq}` };
      return { type: 'text', text: b.text, citations: null };
    });
    const stop = m.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
    const usage = {
      input_tokens: m.usage?.input_tokens ?? 10,
      output_tokens: m.usage?.output_tokens ?? 5,
      cache_read_input_tokens: m.usage?.cache_read_input_tokens ?? 0,
      cache_creation_input_tokens: m.usage?.cache_creation_input_tokens ?? 0,
    };
    sendJson(
      res,
      200,
      {
        id: `msg_fake_${++seq}`,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stop,
        stop_sequence: null,
        usage,
      },
      REQUEST_ID,
    );
  }

  const life = await listenLocal(server, opts.port ?? 0);
  const { port } = life;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    down: life.down,
    up: life.up,
    close: life.close,
  };
}

/**
 * The credential the client sent: `x-api-key`, or `Authorization: Bearer <key>` (what this SDK version
 * sends for an apiKey). Exported so tests can assert which key reached the API.
 */
export function apiKeyOf(headers: RecordedRequest['headers']): string | null {
  const x = headers['x-api-key'];
  if (typeof x === 'string' && x) return x;
  const auth = headers['authorization'];
  const m = typeof auth === 'string' ? auth.match(/^Bearer\s+(\S+)$/i) : null;
  return m?.[1] ?? null;
}

function defaultMessage(kind: string): string {
  return kind === 'overloaded'
    ? 'Overloaded'
    : kind === 'rate_limit'
      ? 'Number of request tokens has exceeded your per-minute rate limit'
      : `fake ${kind}`;
}

function sendError(
  res: http.ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { type: 'error', error: { type, message } }, REQUEST_ID, headers);
}
