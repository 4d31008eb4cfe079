/**
 * JSON Schema through a real validator (ajv): `schemaProblem` checks a schema itself against its draft's
 * meta-schema (a tool's `input_schema` with `properties: 5` is refused when the harness is loaded, never
 * sent to the API), and `firstInputProblem` checks a value against a schema, reporting the first problem as
 * "<path>: <what>". Draft 2020-12 (what the Messages API documents) unless the schema names draft-07.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';

type Schema = Record<string, unknown>;

// strict: false — schemas written for the API may carry annotations ajv does not know (e.g. `examples`
// in draft-07); formats are not checked (they are hints to the model, and ajv-formats is not bundled).
const options = { strict: false, allErrors: false, validateFormats: false, logger: false } as const;
const draft2020 = new Ajv2020(options);
const draft07 = new Ajv(options);

const ajvFor = (schema: Schema): Ajv =>
  typeof schema['$schema'] === 'string' && /draft-0[4-7]/.test(schema['$schema']) ? draft07 : draft2020;

/** `/properties/count/type` → `.properties.count.type`; array indexes as `[i]`. */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`))
    .join('');
}

/** The first problem of the schema itself ({field: '.properties', message}), or null when it is a valid schema. */
export function schemaProblem(schema: Schema): { field: string; message: string } | null {
  const ajv = ajvFor(schema);
  if (!ajv.validateSchema(schema)) {
    const err = ajv.errors?.[0];
    return {
      field: pointerToPath(err?.instancePath ?? ''),
      message: err ? describeSchemaError(err) : 'not a valid JSON Schema',
    };
  }
  try {
    compiled(schema);
  } catch (err) {
    // Valid by the meta-schema but unusable: an unresolvable $ref, a pattern that is not a regex.
    return { field: '', message: `not a usable JSON Schema: ${(err as Error).message}` };
  }
  return null;
}

function describeSchemaError(err: ErrorObject): string {
  const what =
    err.keyword === 'enum' && Array.isArray(err.params['allowedValues'])
      ? `must be one of ${(err.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
      : (err.message ?? 'invalid');
  return `not a valid JSON Schema: ${what}`;
}

// Keyed by the schema's text, not its object: a harness loaded twice (every trial loads its own copy) must
// reuse the compiled validator, and ajv refuses to compile a second schema with the same `$id`.
const cache = new Map<string, ValidateFunction>();
const CACHE_LIMIT = 1000;

function compiled(schema: Schema): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = cache.get(key);
  if (!fn) {
    fn = ajvFor(schema).compile(schema);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, fn);
  }
  return fn;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    const key = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

function describeInputError(err: ErrorObject, value: unknown, at: string): string {
  const here = `${at}${pointerToPath(err.instancePath)}`;
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return `${here}.${String(p['missingProperty'])}: required field is missing`;
    case 'additionalProperties':
      return `${here}.${String(p['additionalProperty'])}: unknown field`;
    case 'type': {
      const types = Array.isArray(p['type']) ? (p['type'] as string[]).join(' | ') : String(p['type']);
      return `${here}: expected ${types}, got ${describe(valueAt(value, err.instancePath))}`;
    }
    case 'enum':
      return `${here}: must be one of ${((p['allowedValues'] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${here}: ${err.message ?? err.keyword}`;
  }
}

/** The first problem of `value` against `schema` as "<at><path>: <what>", or null when it fits. */
export function firstInputProblem(schema: Schema, value: unknown, at = 'input'): string | null {
  let validate: ValidateFunction;
  try {
    validate = compiled(schema);
  } catch (err) {
    return `${at}: the tool's input_schema is not usable: ${(err as Error).message}`;
  }
  if (validate(value)) return null;
  const err = validate.errors?.[0];
  return err ? describeInputError(err, value, at) : `${at}: does not match the tool's input_schema`;
}
