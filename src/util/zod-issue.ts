/**
 * The one renderer of zod issues as the user should read them: a field path and the message. One place,
 * so every format error names fields the same way. Paths come in the style of their file format:
 * `dottedPath` (JSON-ish inputs: `tools.0.name`, a placeholder such as `(root)` for the value itself),
 * `indexedPath` (campaign YAML: `budget.usd`, `train[2]`), `tablePath` (task TOML: `[agent].timeout_sec`).
 * Format-specific wording (campaign YAML's "unknown field", task TOML's "got ...") is the caller's.
 */
import type { ZodError, ZodIssue } from 'zod';

export interface IssueSummary {
  field: string;
  message: string;
  /** How many further issues zod reported (not shown). */
  more: number;
}

/** `a.0.b`, or `whole` when the path is empty. */
export const dottedPath = (path: readonly (string | number)[], whole = '(root)'): string => path.join('.') || whole;

/** `budget.usd`, `train[2]` (campaign YAML). */
export const indexedPath = (path: readonly (string | number)[]): string =>
  path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');

/** `name`, `[agent].timeout_sec`, `[steps][0].name`; `(file)` for the whole file (task TOML). */
export function tablePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(file)';
  const [head, ...rest] = path;
  if (rest.length === 0) return String(head);
  const tail = rest.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
  return `[${String(head)}]${tail}`;
}

export function firstIssue(err: ZodError, prefix: readonly (string | number)[] = [], whole = '(root)'): IssueSummary {
  const issue = err.issues[0];
  return {
    field: dottedPath([...prefix, ...(issue?.path ?? [])], whole),
    message: issue?.message ?? 'invalid',
    more: Math.max(0, err.issues.length - 1),
  };
}

/** Every issue as `field: message`, joined by `separator`. */
export const issueLines = (issues: readonly ZodIssue[], separator: string, whole = '(input)'): string =>
  issues.map((i) => `${dottedPath(i.path, whole)}: ${i.message}`).join(separator);
