/**
 * Typed error for a task folder that cannot be loaded. `file` is the offending file (or folder) and `field`
 * the offending key (e.g. "[verifier].timeout_sec"), or null when the whole file is missing or unreadable.
 * The message always names both, so a user can fix the task without reading our code.
 */
import * as path from 'node:path';

export class TaskLoadError extends Error {
  override readonly name = 'TaskLoadError';
  readonly file: string;
  readonly field: string | null;

  constructor(opts: { file: string; field: string | null; problem: string }) {
    const where = opts.field ? `${displayPath(opts.file)}: ${opts.field}` : displayPath(opts.file);
    super(`${where}: ${opts.problem}`);
    this.file = opts.file;
    this.field = opts.field;
  }
}

/** Paths under the working directory are shown relative (shorter, and what the user typed). */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
