/**
 * Secret redaction for everything a trajectory records: the values of the provider keys
 * (ANTHROPIC_API_KEY, OPENAI_API_KEY — read at call time, so a key set after the recorder was built is
 * still caught) and any `sk-ant-…` / `sk-…` token. Values shorter than MIN_SECRET_LENGTH are placeholders
 * (local servers take any key, e.g. "x"): replacing every "x" would mangle the record and protect nothing.
 * Works on any JSON-like value and returns a fresh copy; the input is never mutated.
 */
export const REDACTED = '[REDACTED]';
const KEY_PATTERNS = [/sk-ant-[A-Za-z0-9_-]+/g, /\bsk-[A-Za-z0-9_-]{20,}/g];
const KEY_VARIABLES = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] as const;
const MIN_SECRET_LENGTH = 8;

export function redactString(s: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = s;
  for (const name of KEY_VARIABLES) {
    const key = env[name]?.trim();
    if (key && key.length >= MIN_SECRET_LENGTH) out = out.split(key).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

export function redactDeep<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  return walk(value, env) as T;
}

function walk(v: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof v === 'string') return redactString(v, env);
  if (Array.isArray(v)) return v.map((x) => walk(x, env));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x !== undefined) out[redactString(k, env)] = walk(x, env);
    }
    return out;
  }
  return v;
}
