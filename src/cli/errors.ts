/**
 * The CLI's one error handler: says what went wrong, where (file and field when known) and what to do,
 * then exits non-zero. Typed errors from the modules carry `file` / `field`; anything else is a bug report.
 */
import { ZodError } from 'zod';
import { issueLines } from '../util/zod-issue';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function describeError(err: unknown): string {
  if (err instanceof ZodError) {
    return issueLines(err.issues, '\n');
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export function handleCliError(err: unknown): never {
  const name = err instanceof Error ? err.name : 'Error';
  // Exit 2: bad input or a missing credential, found before anything ran or was recorded. Exit 1: anything else.
  const known = [
    'UsageError',
    'TaskLoadError',
    'HarnessError',
    'CampaignConfigError',
    'ConfigError',
    'ReportError',
    'StoreError',
    'MissingCredentialError',
    'ModelRefError',
    'InvalidCampaignPlanError',
    'ExportError',
  ];
  process.stderr.write(`autoagent: ${describeError(err)}\n`);
  if (!known.includes(name) && err instanceof Error && process.env.AUTOAGENT_DEBUG) {
    process.stderr.write(`${err.stack ?? ''}\n`);
  }
  process.exit(known.includes(name) ? 2 : 1);
}
