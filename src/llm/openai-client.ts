/**
 * `openai/<model>`: any OpenAI-compatible Chat Completions endpoint (vLLM, Ollama, llama.cpp's server,
 * LiteLLM, OpenRouter, OpenAI itself) behind the LlmClient interface, through the official `openai` SDK.
 * The conversation is translated both ways (src/llm/openai/), so the agent loop and the ATIF recorder see
 * the same Messages API types whatever the provider. The SDK reads OPENAI_BASE_URL and OPENAI_API_KEY
 * itself; local servers need no key, so with only OPENAI_BASE_URL set a placeholder key is sent. The SDK's
 * own retries (408/409/429/5xx and connection errors, honouring `retry-after-ms` / `retry-after`) run first;
 * the final failure maps onto the same error classes as the Anthropic path (src/llm/client.ts).
 */
import OpenAI from 'openai';
import { requestIdOf, type LlmClient } from './client';
import {
  LlmAbortedError,
  LlmAuthError,
  LlmBadRequestError,
  LlmError,
  LlmModelNotFoundError,
  LlmRateLimitError,
  LlmServerError,
} from './errors';
import { toChatRequest } from './openai/request';
import { fromChatCompletion } from './openai/response';
import { errorText } from '../util/error-text';

export interface OpenAiClientOptions {
  /** Default: env OPENAI_API_KEY; a placeholder when only a base URL is known (local servers need none). */
  apiKey?: string;
  /** Default: env OPENAI_BASE_URL, else api.openai.com/v1. Include the `/v1`. */
  baseURL?: string;
  /** SDK retries on 408/409/429/5xx/connection errors (default 4, as on the Anthropic path). */
  maxRetries?: number;
  /** Per-attempt timeout (default 10 minutes). */
  timeoutMs?: number;
  /** The fetch the SDK uses for every attempt, retries included (the rate limiter watches 429s through it). */
  fetch?: typeof globalThis.fetch;
}

/** Sent as the bearer token when the server needs none (the SDK refuses to start without a key). */
export const PLACEHOLDER_API_KEY = 'no-key-needed';

export function createOpenAiClient(opts: OpenAiClientOptions = {}): LlmClient {
  const baseURL = opts.baseURL ?? process.env['OPENAI_BASE_URL'];
  const apiKey = opts.apiKey ?? process.env['OPENAI_API_KEY'] ?? (baseURL ? PLACEHOLDER_API_KEY : undefined);
  if (!apiKey) {
    throw new LlmAuthError(
      'OPENAI_API_KEY is not set (needed for openai/ models; set OPENAI_BASE_URL alone for a local server that needs no key)',
    );
  }
  const timeout = opts.timeoutMs ?? 10 * 60 * 1000;
  const sdk = new OpenAI({
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    maxRetries: opts.maxRetries ?? 4,
    timeout,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const endpoint = sdk.baseURL;
  const maxTokensField = maxTokensFieldFor(endpoint);
  return {
    async createMessage(req, callOpts) {
      let body: unknown;
      try {
        body = await sdk.chat.completions.create(toChatRequest(req, { maxTokensField }), {
          signal: callOpts?.signal,
          timeout,
        });
      } catch (e) {
        const key = apiKey === PLACEHOLDER_API_KEY ? 'placeholder' : opts.apiKey === undefined ? 'env' : 'given';
        throw toOpenAiLlmError(e, { signal: callOpts?.signal, endpoint, key });
      }
      return fromChatCompletion(body, req.model, requestIdOf(body));
    },
  };
}

/** api.openai.com wants `max_completion_tokens` (its reasoning models refuse `max_tokens`); other servers may not know it. */
export function maxTokensFieldFor(baseURL: string): 'max_tokens' | 'max_completion_tokens' {
  try {
    return new URL(baseURL).hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  } catch {
    return 'max_tokens';
  }
}

export interface OpenAiErrorContext {
  signal?: AbortSignal | undefined;
  /** The base URL, named in messages so a user sees which server answered. */
  endpoint?: string;
  /** Where the key came from: OPENAI_API_KEY, the caller, or the placeholder (no key set), for 401 messages. */
  key?: 'env' | 'given' | 'placeholder';
}

/** Maps an OpenAI SDK failure (already retried by the SDK where sensible) onto our error classes. */
function toOpenAiLlmError(e: unknown, ctx: OpenAiErrorContext = {}): LlmError {
  if (e instanceof LlmError) return e;
  const at = ctx.endpoint ? ` at ${ctx.endpoint}` : '';
  if (e instanceof OpenAI.APIUserAbortError || ctx.signal?.aborted) return new LlmAbortedError();
  if (e instanceof OpenAI.APIConnectionTimeoutError)
    return new LlmServerError(`OpenAI-compatible endpoint${at} timed out: ${e.message}`, null);
  if (e instanceof OpenAI.APIConnectionError)
    return new LlmServerError(`connection to the OpenAI-compatible endpoint${at} failed: ${e.message}`, null);
  if (e instanceof OpenAI.APIError) {
    const status = typeof e.status === 'number' ? e.status : null;
    const msg = `OpenAI-compatible endpoint${at} ${status ?? '?'}${e.type ? ` ${e.type}` : ''}: ${e.message}`;
    const rid = e.requestID ?? null;
    if (status === 401 || status === 403) {
      const who =
        ctx.key === 'env'
          ? 'OPENAI_API_KEY was rejected'
          : ctx.key === 'placeholder'
            ? 'OPENAI_API_KEY is not set and the endpoint wants a key'
            : 'the endpoint refused the key';
      return new LlmAuthError(`${who} (${status}): ${msg}`, status, rid);
    }
    if (status === 429) return new LlmRateLimitError(msg, rid);
    if (status !== null && status >= 500) return new LlmServerError(msg, status, rid);
    if (status === 408 || status === 409) return new LlmServerError(msg, status, rid);
    // 404: the server does not serve this model (or the base URL lacks /v1): configuration, not the task.
    if (status === 404) return new LlmModelNotFoundError(msg, rid);
    return new LlmBadRequestError(msg, status ?? 400, rid);
  }
  return new LlmError(errorText(e), null, false);
}
