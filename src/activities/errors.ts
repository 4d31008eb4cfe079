/**
 * Failure types of activities. Their `name`s are stable: workflows list them in `nonRetryableErrorTypes`
 * (retrying a bad harness or a broken config cannot help), everything else — Docker hiccups, a busy
 * daemon, a flaky network — is retried with backoff.
 */
export class InvalidCampaignPlanError extends Error {
  override readonly name = 'InvalidCampaignPlanError';
  constructor(
    message: string,
    readonly file: string,
    readonly field: string,
  ) {
    super(`${file}: ${field ? field + ': ' : ''}${message}`);
  }
}

/** The harness to run cannot be loaded: the candidate is broken, not the infrastructure. */
export class CandidateHarnessError extends Error {
  override readonly name = 'CandidateHarnessError';
  constructor(
    message: string,
    readonly dir: string,
  ) {
    super(`${dir}: ${message}`);
  }
}
