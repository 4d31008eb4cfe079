/**
 * Trial phase errors with stable names. A trial scores 0 and records `<name>: <message>` in `error` for
 * each of them; only systemic faults (DockerUnavailableError) escape runTrial. The sandbox and verifier
 * errors are re-exported so callers (Temporal's nonRetryableErrorTypes) find every name in one place.
 */
export { ImageBuildError, SandboxError, DockerUnavailableError } from '../sandbox/errors';
export { VerifierTimeoutError, RewardFileMissingError, RewardParseError, RewardFileTooLargeError, RewardTamperingError } from '../verifier/errors';
export { FileTooLargeError, StorageLimitError } from '../sandbox/errors';

export class AgentTimeoutError extends Error {
  override readonly name = 'AgentTimeoutError';
  constructor(readonly timeoutSec: number) {
    super(`agent did not finish within ${timeoutSec}s`);
  }
}

export class AgentError extends Error {
  override readonly name = 'AgentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Task-level failures that must not be retried by the workflow (retrying cannot change the outcome). */
export const NON_RETRYABLE_TRIAL_ERRORS = [
  'ImageBuildError', 'AgentTimeoutError', 'VerifierTimeoutError', 'RewardFileMissingError', 'RewardParseError',
  'RewardFileTooLargeError', 'RewardTamperingError', 'StorageLimitError', 'FileTooLargeError',
] as const;

export const describeError = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
