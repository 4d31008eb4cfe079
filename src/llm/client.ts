/**
 * The one door to the Messages API. `createAnthropicClient` wraps the real @anthropic-ai/sdk, whose own
 * retry loop already does what we need (checked in its client.ts: retries 408/409/429/5xx incl. 529 and
 * connection errors with exponential backoff 0.5s..8s and 25% jitter, honouring `retry-after-ms` and
 * `retry-after`), so we only set `maxRetries` and translate the final failure into our typed errors.
 * `ANTHROPIC_BASE_URL` is read by the SDK itself when no baseURL is given. A 2xx body is checked against
 * the Message shape before anyone reads it (message-shape.ts): `{}` or an HTML page is an LlmBadResponseError.
 */
import Anthropic from '@anthropic-ai/sdk';
import {
  LlmAbortedError,
  LlmAuthError,
  LlmBadRequestError,
  LlmError,
  LlmModelNotFoundError,
  LlmOverloadedError,
  LlmRateLimitError,
  LlmServerError,
} from './errors';
import { checkMessage } from './message-shape';
import { errorText } from '../util/error-text';

export interface LlmClient {
  createMessage(
    req: Anthropic.MessageCreateParamsNonStreaming,
    opts?: { signal?: AbortSignal },
  ): Promise<Anthropic.Message>;
}

export interface AnthropicClientOptions {
  /** Default: env ANTHROPIC_API_KEY. */
  apiKey?: string;
  /** Default: env ANTHROPIC_BASE_URL, else the public API. */
  baseURL?: string;
  /** SDK retries on 429/529/5xx/connection errors (default 4). */
  maxRetries?: number;
  /** Per-attempt timeout (default 10 minutes). Passing it also skips the SDK's non-streaming size guard. */
  timeoutMs?: number;
  /** The fetch the SDK uses for every attempt, retries included (the rate limiter watches 429s through it). */
  fetch?: typeof globalThis.fetch;
}

export function createAnthropicClient(opts: AnthropicClientOptions = {}): LlmClient {
  const apiKey = opts.apiKey ?? process.env['ANTHROPIC_API_KEY'];
  if (!apiKey) throw new LlmAuthError('ANTHROPIC_API_KEY is not set (needed to call the Messages API)');
  const timeout = opts.timeoutMs ?? 10 * 60 * 1000;
  const sdk = new Anthropic({
    apiKey,
    ...(opts.baseURL !== undefined ? { baseURL: opts.baseURL } : {}),
    maxRetries: opts.maxRetries ?? 4,
    timeout,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  return {
    async createMessage(req, callOpts) {
      try {
        const body: unknown = await sdk.messages.create(req, { signal: callOpts?.signal, timeout });
        return checkMessage(body, 'the Anthropic Messages API', requestIdOf(body));
      } catch (e) {
        throw toLlmError(e, callOpts?.signal);
      }
    },
  };
}

/** The SDK attaches the response's request-id to the parsed body as `_request_id`. */
export const requestIdOf = (body: unknown): string | null => {
  const id = typeof body === 'object' && body !== null ? (body as { _request_id?: unknown })._request_id : undefined;
  return typeof id === 'string' ? id : null;
};

/** Maps an SDK failure (already retried by the SDK where sensible) onto our error classes. */
function toLlmError(e: unknown, signal?: AbortSignal): LlmError {
  if (e instanceof LlmError) return e;
  if (e instanceof Anthropic.APIUserAbortError || signal?.aborted) return new LlmAbortedError();
  if (e instanceof Anthropic.APIConnectionError) return new LlmServerError(`connection failed: ${e.message}`, null);
  if (e instanceof Anthropic.APIError) {
    const status = typeof e.status === 'number' ? e.status : null;
    const msg = `Anthropic API ${status ?? '?'}${e.type ? ` ${e.type}` : ''}: ${e.apiMessage ?? e.message}`;
    const rid = e.requestID ?? null;
    if (status === 401 || status === 403) return new LlmAuthError(msg, status, rid);
    if (status === 429) return new LlmRateLimitError(msg, rid);
    if (status === 529 || e.type === 'overloaded_error') return new LlmOverloadedError(msg, rid);
    if (status !== null && status >= 500) return new LlmServerError(msg, status, rid);
    if (status === 408 || status === 409) return new LlmServerError(msg, status, rid);
    // 404 is the API's answer to an unknown model (or a base URL without /v1/messages): configuration, not the task.
    if (status === 404) return new LlmModelNotFoundError(msg, rid);
    return new LlmBadRequestError(msg, status ?? 400, rid);
  }
  return new LlmError(errorText(e), null, false);
}
