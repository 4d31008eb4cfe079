/**
 * The JSON Schema of a tool call `{"name": …, "arguments": …}` in the subset node-llama-cpp turns into a
 * GBNF grammar, so that once the model opens a call its JSON is well formed and names a real tool. That
 * grammar makes every listed property required, so only a tool's required arguments are listed; optional
 * ones may still follow as extra properties. A schema part the subset cannot say becomes "any JSON value".
 */
type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const BASIC = new Set(['string', 'number', 'integer', 'boolean', 'null']);

/** Any JSON value (an object with arbitrary keys stands for nested values of any shape). */
const ANY: Schema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: { type: ['string', 'number', 'boolean', 'null'] } },
  ],
};

function literal(v: unknown): boolean {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

export function toGbnfSchema(s: unknown, depth = 0): Schema {
  if (!isObject(s) || depth > 6) return ANY;
  if ('const' in s && literal(s['const'])) return { const: s['const'] };
  if (Array.isArray(s['enum']) && s['enum'].length > 0 && s['enum'].every(literal)) return { enum: s['enum'] };
  const alternatives = (s['oneOf'] ?? s['anyOf']) as unknown;
  if (Array.isArray(alternatives) && alternatives.length > 0)
    return { oneOf: alternatives.map((a) => toGbnfSchema(a, depth + 1)) };
  const type = s['type'] ?? (isObject(s['properties']) ? 'object' : undefined);
  if (Array.isArray(type)) {
    if (type.every((t) => typeof t === 'string' && BASIC.has(t))) return { type };
    return { oneOf: type.map((t) => toGbnfSchema({ ...s, type: t }, depth + 1)) };
  }
  if (typeof type === 'string' && BASIC.has(type)) return { type };
  if (type === 'array') return { type: 'array', items: toGbnfSchema(s['items'], depth + 1) };
  if (type === 'object') {
    const props = isObject(s['properties']) ? s['properties'] : {};
    const required = new Set(Array.isArray(s['required']) ? s['required'].map(String) : []);
    const listed = Object.fromEntries(
      Object.entries(props)
        .filter(([k]) => required.has(k))
        .map(([k, v]) => [k, toGbnfSchema(v, depth + 1)]),
    );
    const hasOptional =
      Object.keys(props).some((k) => !required.has(k)) ||
      s['additionalProperties'] === true ||
      isObject(s['additionalProperties']);
    return { type: 'object', properties: listed, additionalProperties: hasOptional || Object.keys(props).length === 0 };
  }
  return ANY;
}

export function toolCallSchema(tools: { name: string; input_schema: unknown }[]): Schema {
  return {
    oneOf: tools.map((t) => ({
      type: 'object',
      properties: { name: { const: t.name }, arguments: toGbnfSchema(t.input_schema) },
    })),
  };
}
