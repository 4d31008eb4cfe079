/**
 * A local stand-in for an OpenAI-compatible Chat Completions server (POST /v1/chat/completions) on
 * 127.0.0.1:<port>, the way vLLM, Ollama or llama.cpp's server answer. It takes the SAME scripts as the
 * fake Messages API (src/llm/fake-server/script.ts), so one scripted behaviour runs through both providers:
 * text blocks become `content`, tool_use blocks `tool_calls` (a string `input` is sent verbatim as the
 * arguments: the way to script malformed JSON), thinking blocks `reasoning_content`, stop reasons
 * finish_reason, usage prompt/completion/cached tokens. Errors carry OpenAI's error body; `overloaded` is
 * a 503, as these servers send. It records every request and how many were in flight at most.
 */
import http from 'node:http';
import {
  ERROR_STATUS,
  ErrorReplySchema,
  MessageReplySchema,
  RawReplySchema,
  type FakeScript,
  type RecordedRequest,
} from '../fake-server/script';
import { listenLocal, nextReply, readRequest, sendJson, sendRaw, wait } from '../fake-server/http';
import { validateChatRequest } from './validate';

/** OpenAI's request id header. */
const REQUEST_ID = 'x-request-id';

export interface FakeOpenAi {
  /** Base URL to give the SDK, `/v1` included (as OPENAI_BASE_URL is written). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** The most requests this server was answering at the same time. */
  readonly maxInFlight: number;
  /** Stops listening (new connections are refused: a server that is down) and drops open connections. */
  down(): Promise<void>;
  /** Listens again on the same port after down(). */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeOpenAi(script: FakeScript, opts: { port?: number } = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => inFlight--);
    void handle(req, res).catch((e: unknown) =>
      sendError(res, 500, 'server_error', `fake server bug: ${(e as Error).message}`),
    );
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { body, path } = await readRequest(req);
    if (req.method !== 'POST' || path !== '/v1/chat/completions')
      return sendError(res, 404, 'invalid_request_error', `Unknown request URL: ${req.method} ${path}`);
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
    if (!/^Bearer\s+\S+$/i.test(String(req.headers['authorization'] ?? ''))) {
      return sendError(
        res,
        401,
        'invalid_request_error',
        "You didn't provide an API key (Authorization: Bearer <key>)",
      );
    }
    const invalid = typeof body === 'string' ? 'body: not valid JSON' : validateChatRequest(body);
    if (invalid) return sendError(res, 400, 'invalid_request_error', invalid);

    const reply = await nextReply(script, rec, callIndex, 'fake-openai');
    if (reply.delayMs && !(await wait(reply.delayMs, res))) return; // client went away
    if ('raw' in reply) return sendRaw(res, RawReplySchema.parse(reply));
    if ('error' in reply) {
      const e = ErrorReplySchema.parse(reply);
      const status = e.error === 'overloaded' ? 503 : ERROR_STATUS[e.error].status;
      const headers = { ...(e.error === 'rate_limit' ? { 'retry-after': '0' } : {}), ...(e.headers ?? {}) };
      return sendError(res, status, errorType(status), e.message ?? `fake ${e.error}`, headers);
    }
    sendJson(
      res,
      200,
      completionOf(MessageReplySchema.parse(reply), String((body as { model: unknown }).model), () => ++seq),
      REQUEST_ID,
    );
  }

  const life = await listenLocal(server, opts.port ?? 0);
  const { port } = life;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    down: life.down,
    up: life.up,
    close: life.close,
  };
}

const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
};

/** A scripted Messages-style reply as the chat completion an OpenAI-compatible server would send. */
function completionOf(
  m: ReturnType<typeof MessageReplySchema.parse>,
  requestModel: string,
  next: () => number,
): unknown {
  const texts = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : []));
  const reasoning = m.content.flatMap((b) => (b.type === 'thinking' ? [b.thinking] : []));
  const calls = m.content.flatMap((b) =>
    b.type === 'tool_use'
      ? [
          {
            id: b.id ?? `call_fake_${next()}`,
            type: 'function',
            function: {
              name: b.name,
              arguments: typeof b.input === 'string' ? b.input : JSON.stringify(b.input ?? {}),
            },
          },
        ]
      : [],
  );
  const stop = m.stop_reason ?? (calls.length > 0 ? 'tool_use' : 'end_turn');
  const input = m.usage?.input_tokens ?? 10;
  const cached = m.usage?.cache_read_input_tokens ?? 0;
  const output = m.usage?.output_tokens ?? 5;
  return {
    id: `chatcmpl-fake-${next()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: m.model ?? requestModel,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: texts.length > 0 ? texts.join('\n') : null,
          ...(reasoning.length > 0 ? { reasoning_content: reasoning.join('\n') } : {}),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        finish_reason: FINISH[stop] ?? 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: input + cached,
      completion_tokens: output,
      total_tokens: input + cached + output,
      prompt_tokens_details: { cached_tokens: cached },
    },
  };
}

const errorType = (status: number): string =>
  status === 401
    ? 'invalid_request_error'
    : status === 429
      ? 'rate_limit_exceeded'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error';

function sendError(
  res: http.ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code: null } }, REQUEST_ID, headers);
}
