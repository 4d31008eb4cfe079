/**
 * Trial phase errors with stable names. A trial scores 0 and records `<name>: <message>` in `error` for
 * each of them; only systemic faults (DockerUnavailableError) escape runTrial. (The sandbox and verifier
 * errors live in sandbox/errors.ts and verifier/errors.ts; workflows/error-names.ts lists every name.)
 */

export class AgentTimeoutError extends Error {
  override readonly name = 'AgentTimeoutError';
  constructor(readonly timeoutSec: number) {
    super(`agent did not finish within ${timeoutSec}s`);
  }
}

export const describeError = (err: unknown): string =>
  err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err);
