/** Shared zod coercions for CLI flags, so every command rejects bad values the same way, naming the flag. */
import type { z } from 'zod';
import { UsageError } from './errors';

export function parseOptions<S extends z.ZodTypeAny>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const flag = (p: PropertyKey | undefined): string =>
      `--${String(p ?? '?').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(parsed.error.issues.map((i) => `${flag(i.path[0])}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}

export { packageRoot } from '../util/package-root';
