/**
 * Trials that are not results: before systemic faults were thrown, a trial whose model calls failed for a
 * systemic reason (rejected or missing key, rate limit / overload / 5xx past the SDK's retries, connection
 * failures) or whose Docker daemon was gone was stored with reward 0 and `<ErrorName>: …` as its error.
 * Those rows are recognised by that prefix: the cache never serves them and migration 2 moves them out of
 * `trials` into `faulted_trials` (kept, not lost), so nothing counts them as results.
 */

/** Error names of systemic faults, as the first word of a stored trial's `error`. */
const SYSTEMIC_TRIAL_ERROR_NAMES = [
  'LlmAuthError',
  'LlmModelNotFoundError',
  'LlmRateLimitError',
  'LlmOverloadedError',
  'LlmServerError',
  'LlmUnavailableError',
  'LlmCredentialError',
  'LlmConfigError',
  'DockerUnavailableError',
] as const;

/** True when a stored error text is a systemic fault, not a task-level failure. */
export function isSystemicErrorText(error: string | null | undefined): boolean {
  if (!error) return false;
  return SYSTEMIC_TRIAL_ERROR_NAMES.some((n) => error.startsWith(`${n}:`));
}

/** SQL condition (on column `error`) matching the same rows as isSystemicErrorText. */
export const SYSTEMIC_ERROR_SQL = `(${SYSTEMIC_TRIAL_ERROR_NAMES.map((n) => `substr(error, 1, ${n.length + 1}) = '${n}:'`).join(' OR ')})`;
