/**
 * Loose request validation, mirroring the checks of the real API that catch agent-loop bugs: required
 * fields, alternating roles starting with user, and every assistant tool_use answered by a tool_result in
 * the very next user message. Returns an error message (sent back as a 400) or null.
 */
type Block = { type?: unknown; id?: unknown; tool_use_id?: unknown };
type Msg = { role?: unknown; content?: unknown };

const blocksOf = (m: Msg): Block[] =>
  typeof m.content === 'string' ? [{ type: 'text' }] : Array.isArray(m.content) ? (m.content as Block[]) : [];

export function validateMessagesRequest(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return 'body: expected a JSON object';
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string' || b['model'] === '') return 'model: Field required';
  if (typeof b['max_tokens'] !== 'number') return 'max_tokens: Field required';
  if (b['stream'] === true) return 'stream: the fake server does not stream';
  const messages = b['messages'];
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Msg;
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (m.role !== expected)
      return `messages.${i}.role: expected "${expected}" (roles must alternate, starting with user)`;
    if (typeof m.content !== 'string' && !Array.isArray(m.content))
      return `messages.${i}.content: expected string or array`;
    if (Array.isArray(m.content) && m.content.length === 0 && i !== messages.length - 1)
      return `messages.${i}.content: must be non-empty`;
    if (m.role !== 'assistant') continue;
    const ids = blocksOf(m)
      .filter((x) => x.type === 'tool_use')
      .map((x) => x.id);
    if (ids.length === 0) continue;
    const next = messages[i + 1] as Msg | undefined;
    if (!next) return `messages.${i}: the final assistant message must not end with tool_use`;
    const answered = new Set(
      blocksOf(next)
        .filter((x) => x.type === 'tool_result')
        .map((x) => x.tool_use_id),
    );
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}`;
    }
  }
  if (b['tools'] !== undefined && !Array.isArray(b['tools'])) return 'tools: expected an array';
  for (const [i, t] of ((b['tools'] as unknown[]) ?? []).entries()) {
    const tool = t as Record<string, unknown>;
    if (typeof tool['name'] !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(tool['name']))
      return `tools.${i}.name: invalid`;
    if (typeof tool['input_schema'] !== 'object' || tool['input_schema'] === null)
      return `tools.${i}.input_schema: Field required`;
  }
  return null;
}
