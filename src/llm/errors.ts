/**
 * Typed LLM errors. The agent loop and Temporal retry policies branch on `name` (stable), never on message
 * text. Every error says whether retrying later could help (`retryable`) — by the time one of these is thrown
 * the SDK has already spent its own retries — and which kind of fault it is (`fault`):
 * - systemic (`credential`, `configuration`, `outage`): not the task's doing. The agent loop lets these
 *   escape, no trial result is written, and the campaign retries (outage) or pauses (credential, configuration);
 * - task-level (`request`, `aborted`, `unknown`): the conversation itself was refused (context too long, a bad
 *   request), or the run was stopped; the trial ends with reward 0 and records why.
 */

/** What kind of fault an LLM error is; see the module comment. */
export type LlmFault = 'credential' | 'configuration' | 'outage' | 'request' | 'aborted' | 'unknown';

export class LlmError extends Error {
  override readonly name: string = 'LlmError';
  /** Which kind of fault this is; subclasses say. A bare LlmError (an unexpected client failure) is task-level. */
  readonly fault: LlmFault = 'unknown';
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

/** 401/403: the key is missing, wrong or lacks permission. Never retryable: the campaign pauses. */
export class LlmAuthError extends LlmError {
  override readonly name = 'LlmAuthError';
  override readonly fault = 'credential';
  constructor(message: string, status: number | null = null, requestId: string | null = null) {
    super(message, status, false, requestId);
  }
}

/** 404: the endpoint does not serve this model (a typo in the model name, a proxy without it). Never retryable. */
export class LlmModelNotFoundError extends LlmError {
  override readonly name = 'LlmModelNotFoundError';
  override readonly fault = 'configuration';
  constructor(message: string, requestId: string | null = null) {
    super(message, 404, false, requestId);
  }
}

/** 400/413/422: the request itself is wrong (e.g. context too long): a task-level failure. */
export class LlmBadRequestError extends LlmError {
  override readonly name = 'LlmBadRequestError';
  override readonly fault = 'request';
  constructor(message: string, status: number, requestId: string | null = null) {
    super(message, status, false, requestId);
  }
}

/** 429 after the SDK's retries were exhausted. */
export class LlmRateLimitError extends LlmError {
  override readonly name = 'LlmRateLimitError';
  override readonly fault = 'outage';
  constructor(message: string, requestId: string | null = null) {
    super(message, 429, true, requestId);
  }
}

/** 529 overloaded_error after retries were exhausted. */
export class LlmOverloadedError extends LlmError {
  override readonly name = 'LlmOverloadedError';
  override readonly fault = 'outage';
  constructor(message: string, requestId: string | null = null) {
    super(message, 529, true, requestId);
  }
}

/** Other 5xx, or the connection failed / timed out, after retries were exhausted. */
export class LlmServerError extends LlmError {
  override readonly name = 'LlmServerError';
  override readonly fault = 'outage';
  constructor(message: string, status: number | null, requestId: string | null = null) {
    super(message, status, true, requestId);
  }
}

/**
 * A 2xx answer that is not what the API promises (`{}`, an HTML page from a proxy, a truncated body): the
 * endpoint misbehaves, so like a 5xx it is an outage worth retrying, never a task failure.
 */
export class LlmBadResponseError extends LlmError {
  override readonly name = 'LlmBadResponseError';
  override readonly fault = 'outage';
  constructor(message: string, status: number | null, requestId: string | null = null) {
    super(message, status, true, requestId);
  }
}

/** The caller aborted the request (deadline or cancellation) — not a provider fault. */
export class LlmAbortedError extends LlmError {
  override readonly name = 'LlmAbortedError';
  override readonly fault = 'aborted';
  constructor(message = 'request aborted') {
    super(message, null, false);
  }
}

const SYSTEMIC_FAULTS: ReadonlySet<LlmFault> = new Set(['credential', 'configuration', 'outage']);

/**
 * The systemic LLM error behind `e`, following `cause` (wrappers such as MetaAgentError keep the original),
 * or null when `e` is task-level or not an LLM error at all.
 */
export function systemicLlmError(e: unknown): LlmError | null {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 8; cur = cur.cause, depth++) {
    if (cur instanceof LlmError && SYSTEMIC_FAULTS.has(cur.fault)) return cur;
  }
  return null;
}

/** True for faults that are not the task's doing: credentials, configuration, outages. */
export const isSystemicLlmError = (e: unknown): boolean => systemicLlmError(e) !== null;

/** True for missing or rejected credentials (the campaign pauses until they are fixed). */
export const isLlmCredentialError = (e: unknown): boolean => systemicLlmError(e)?.fault === 'credential';
