/**
 * The one renderer of zod issues as the user should read them: a dotted field path (`tools.0.name`; a
 * placeholder such as `(root)` when the value itself is wrong) and the message. One place, so every format
 * error names fields the same way. (Campaign YAML and task TOML add format-specific wording on top:
 * `train[2]`, "unknown field", TOML keys.)
 */
import type { ZodError, ZodIssue } from 'zod';

export interface IssueSummary {
  field: string;
  message: string;
  /** How many further issues zod reported (not shown). */
  more: number;
}

/** `a.0.b`, or `whole` when the path is empty. */
const dottedPath = (path: readonly (string | number)[], whole = '(root)'): string => path.join('.') || whole;

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
