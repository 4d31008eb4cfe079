/**
 * Verifier phase errors (Harbor's names). The verifier never throws these for a task-level failure: it
 * scores 0 and records `<name>: <message>` as the reason; the names are stable so callers can classify.
 */
export class VerifierTimeoutError extends Error {
  override readonly name = 'VerifierTimeoutError';
  constructor(readonly timeoutSec: number) {
    super(`tests/test.sh did not finish within ${timeoutSec}s`);
  }
}

export class RewardFileMissingError extends Error {
  override readonly name = 'RewardFileMissingError';
  constructor(readonly exitCode: number | null) {
    super(`no /logs/verifier/reward.txt or reward.json (test.sh exited ${exitCode ?? 'abnormally'})`);
  }
}

export class RewardParseError extends Error {
  override readonly name = 'RewardParseError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** The reward file is bigger than the verifier reads (it is never buffered whole on the host). */
export class RewardFileTooLargeError extends Error {
  override readonly name = 'RewardFileTooLargeError';
  constructor(
    readonly file: string,
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`${file} is ${sizeBytes} bytes, over the ${maxBytes}-byte limit for reward files`);
  }
}

/**
 * The agent phase changed what the verifier relies on (system files outside the task's work area).
 * Thrown by the isolation step before the verifier runs; the trial scores 0 and records what was changed.
 */
export class RewardTamperingError extends Error {
  override readonly name = 'RewardTamperingError';
  constructor(readonly changes: string[]) {
    super(describeChanges(changes));
  }
}

const SHOWN_CHANGES = 5;
function describeChanges(changes: string[]): string {
  const shown = changes.slice(0, SHOWN_CHANGES).join(', ');
  const more = changes.length > SHOWN_CHANGES ? ` and ${changes.length - SHOWN_CHANGES} more` : '';
  return `the agent changed files the verifier relies on, outside the task's work area: ${shown}${more}`;
}

/** An artifact handed to a separate verifier is bigger than the task's storage allows; it is not copied. */
export class ArtifactTooLargeError extends Error {
  override readonly name = 'ArtifactTooLargeError';
  constructor(
    readonly source: string,
    readonly maxBytes: number,
  ) {
    super(`artifact ${source} is over ${maxBytes} bytes (the task's storage_mb)`);
  }
}

export const reasonOf = (err: Error): string => `${err.name}: ${err.message}`;
