/**
 * Request checks of the fake Chat Completions server, mirroring what real OpenAI-compatible servers reject
 * (and what would show a translation bug): required fields, known roles, system first, every assistant
 * tool call answered by `tool` messages right after it (and no stray tool message), string arguments,
 * function tools with object parameters, and no Messages API shapes leaking through. Returns an error
 * message (sent back as a 400) or null.
 */
type Msg = { role?: unknown; content?: unknown; tool_calls?: unknown; tool_call_id?: unknown };
type Call = { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } };

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
/** Messages API vocabulary that must never reach a Chat Completions server. */
const ANTHROPIC_ONLY = [
  '"cache_control":',
  '"input_schema":',
  '"tool_use_id":',
  '"type":"tool_use"',
  '"type":"tool_result"',
  '"type":"thinking"',
];

export function validateChatRequest(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body: expected a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string' || b['model'] === '') return 'model: you must provide a model parameter';
  if (b['stream'] === true) return 'stream: the fake server does not stream';
  for (const k of ['max_tokens', 'max_completion_tokens']) {
    if (b[k] !== undefined && (typeof b[k] !== 'number' || !Number.isInteger(b[k]) || (b[k] as number) < 1))
      return `${k}: expected a positive integer`;
  }
  if ('system' in b) return 'system: unrecognized request argument (use a system message)';
  const leaked = ANTHROPIC_ONLY.find((k) => JSON.stringify(b).includes(k));
  if (leaked) return `body: Messages API field ${leaked} is not part of a Chat Completions request`;
  return validateMessages(b['messages']) ?? validateTools(b['tools']) ?? validateToolChoice(b['tool_choice']);
}

function validateMessages(messages: unknown): string | null {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: expected a non-empty array';
  let pending: Set<string> | null = null; // tool_call ids of the last assistant turn still unanswered
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Msg;
    const at = `messages.${i}`;
    if (typeof m !== 'object' || m === null || !ROLES.includes(m.role as string))
      return `${at}.role: expected one of ${ROLES.join(', ')}`;
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string') return `${at}.tool_call_id: Field required`;
      if (typeof m.content !== 'string') return `${at}.content: expected a string`;
      if (!pending?.has(m.tool_call_id))
        return `${at}: a 'tool' message must answer a tool_call of the preceding assistant message (${m.tool_call_id})`;
      pending.delete(m.tool_call_id);
      continue;
    }
    if (pending && pending.size > 0)
      return `${at}: tool_call_ids did not have response messages: ${[...pending].join(', ')}`;
    pending = null;
    if ((m.role === 'system' || m.role === 'developer') && i !== 0)
      return `${at}.role: the system message must come first`;
    if (m.role === 'assistant') {
      const err = validateAssistant(m, at);
      if (err) return err;
      if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0)
        pending = new Set((m.tool_calls as Call[]).map((c) => c.id as string));
      continue;
    }
    if (!isContent(m.content)) return `${at}.content: expected a string or an array of text parts`;
  }
  if (pending && pending.size > 0)
    return `messages: tool_call_ids did not have response messages: ${[...pending].join(', ')}`;
  return null;
}

function validateAssistant(m: Msg, at: string): string | null {
  const calls = m.tool_calls;
  if (calls !== undefined && !Array.isArray(calls)) return `${at}.tool_calls: expected an array`;
  const hasCalls = Array.isArray(calls) && calls.length > 0;
  if (m.content === null || m.content === undefined) {
    if (!hasCalls) return `${at}.content: required unless tool_calls is specified`;
  } else if (!isContent(m.content)) return `${at}.content: expected a string`;
  for (const [j, c] of ((calls ?? []) as Call[]).entries()) {
    if (typeof c.id !== 'string' || c.id === '') return `${at}.tool_calls.${j}.id: Field required`;
    if (c.type !== 'function') return `${at}.tool_calls.${j}.type: expected "function"`;
    if (typeof c.function?.name !== 'string') return `${at}.tool_calls.${j}.function.name: Field required`;
    if (typeof c.function.arguments !== 'string')
      return `${at}.tool_calls.${j}.function.arguments: expected a JSON string`;
  }
  return null;
}

const isContent = (c: unknown): boolean =>
  typeof c === 'string' ||
  (Array.isArray(c) &&
    c.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        (p as { type?: unknown }).type === 'text' &&
        typeof (p as { text?: unknown }).text === 'string',
    ));

function validateTools(tools: unknown): string | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools) || tools.length === 0) return 'tools: expected a non-empty array';
  for (const [i, t] of (tools as Record<string, unknown>[]).entries()) {
    if (t?.['type'] !== 'function') return `tools.${i}.type: expected "function"`;
    const f = t['function'] as Record<string, unknown> | undefined;
    if (typeof f?.['name'] !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(f['name']))
      return `tools.${i}.function.name: invalid`;
    const p = f['parameters'];
    if (p !== undefined && (typeof p !== 'object' || p === null || (p as { type?: unknown }).type !== 'object'))
      return `tools.${i}.function.parameters: expected an object schema`;
  }
  return null;
}

function validateToolChoice(c: unknown): string | null {
  if (c === undefined || c === 'auto' || c === 'none' || c === 'required') return null;
  const f = (c as { type?: unknown; function?: { name?: unknown } } | null) ?? {};
  if (f.type === 'function' && typeof f.function?.name === 'string') return null;
  return 'tool_choice: expected "auto", "none", "required" or {type: "function", function: {name}}';
}
