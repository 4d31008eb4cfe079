/**
 * Finds keys a zod object schema does not know, at any nesting level, so unknown keys can be
 * tolerated (stripped) but reported as warnings — a typo like `max_turns` should not pass silently.
 * Returns ready-made warning text (`<path>: unknown key ignored[ (did you mean x?)]`); objects that
 * pass unknown keys through (e.g. JSON Schemas) are not inspected.
 */
import { z } from 'zod';

export function unknownKeys(schema: z.ZodTypeAny, value: unknown, path: string[] = []): string[] {
  const obj = unwrapObject(schema);
  if (
    !obj ||
    obj._def.unknownKeys === 'passthrough' ||
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value)
  )
    return [];
  const shape = obj.shape as Record<string, z.ZodTypeAny>;
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = shape[k];
    if (!sub) out.push(`${[...path, k].join('.')}: unknown key ignored${hint(k, Object.keys(shape))}`);
    else out.push(...unknownKeys(sub, v, [...path, k]));
  }
  return out;
}

function unwrapObject(schema: z.ZodTypeAny): z.AnyZodObject | null {
  let s: z.ZodTypeAny = schema;
  for (;;) {
    if (s instanceof z.ZodObject) return s;
    if (s instanceof z.ZodDefault) s = s._def.innerType;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else if (s instanceof z.ZodEffects) s = s.innerType();
    else return null;
  }
}

function hint(key: string, known: string[]): string {
  const camel = key.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel !== key && known.includes(camel) ? ` (did you mean ${camel}?)` : '';
}
