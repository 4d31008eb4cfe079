/**
 * Custom tool inputs checked against their JSON Schema by a real validator (ajv, see src/util/json-schema):
 * every keyword of the schema counts (minimum, pattern, oneOf, $ref…), and the first problem is reported
 * to the model as "<path>: <what>" so it can fix its call.
 */
import { firstInputProblem } from '../../util/json-schema';
import type { ParseResult } from './types';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns the first problem as "<path>: <what>", or null when the value fits the schema. */
export function checkJsonSchema(schema: Schema, value: unknown, at = 'input'): string | null {
  return firstInputProblem(schema, value, at);
}

/** A tool's parse(): the input must be a JSON object that satisfies `schema`. */
export function parseObjectInput(schema: Schema, input: unknown): ParseResult<Record<string, unknown>> {
  if (!isObject(input)) return { ok: false, error: 'input: expected an object' };
  const err = checkJsonSchema(schema, input);
  return err ? { ok: false, error: err } : { ok: true, value: input };
}
