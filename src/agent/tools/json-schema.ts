/**
 * A custom tool's parse(): its input checked against its JSON Schema by a real validator (ajv, in
 * src/util/json-schema): every keyword of the schema counts (minimum, pattern, oneOf, $ref…), and the first
 * problem is reported to the model as "<path>: <what>" so it can fix its call.
 */
import { firstInputProblem } from '../../util/json-schema';
import type { ParseResult } from './types';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tool's parse(): the input must be a JSON object that satisfies `schema`. */
export function parseObjectInput(schema: Schema, input: unknown): ParseResult<Record<string, unknown>> {
  if (!isObject(input)) return { ok: false, error: 'input: expected an object' };
  const err = firstInputProblem(schema, input);
  return err ? { ok: false, error: err } : { ok: true, value: input };
}
