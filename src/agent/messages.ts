/**
 * Conversation helpers for the Messages API: response blocks -> request blocks (thinking blocks are kept
 * with their signatures, as the API requires for tool use with thinking), merged user turns, and a
 * moving prompt-cache breakpoint on the newest message.
 */
import type Anthropic from '@anthropic-ai/sdk';

type Param = Anthropic.ContentBlockParam;

export function toParamBlocks(content: Anthropic.ContentBlock[]): Param[] {
  const out: Param[] = [];
  for (const b of content) {
    if (b.type === 'text') out.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use') out.push({ type: 'tool_use', id: b.id, name: b.name, input: b.input });
    else if (b.type === 'thinking') out.push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
    else if (b.type === 'redacted_thinking') out.push({ type: 'redacted_thinking', data: b.data });
  }
  return out;
}

export const textOf = (content: Anthropic.ContentBlock[]): string =>
  content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');

export const reasoningOf = (content: Anthropic.ContentBlock[]): string | undefined => {
  const parts = content.flatMap((b) =>
    b.type === 'thinking' ? [b.thinking] : b.type === 'redacted_thinking' ? ['[redacted thinking]'] : [],
  );
  return parts.length ? parts.join('\n') : undefined;
};

/** Adds text to the conversation as the user: merged into a trailing user message (e.g. after tool results). */
export function appendUserText(messages: Anthropic.MessageParam[], text: string): void {
  const last = messages[messages.length - 1];
  if (last && last.role === 'user') {
    const blocks: Param[] =
      typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
    blocks.push({ type: 'text', text });
    last.content = blocks;
  } else {
    messages.push({ role: 'user', content: [{ type: 'text', text }] });
  }
}

/**
 * A request copy whose newest message's last block carries cache_control, so each turn reads the
 * previous turn's prefix from the cache. The stored history is not modified.
 */
export function withCacheBreakpoint(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const last = messages[messages.length - 1];
  if (!last || typeof last.content === 'string' || last.content.length === 0) return messages;
  const blocks = [...last.content];
  const tail = blocks[blocks.length - 1]!;
  if (tail.type === 'thinking' || tail.type === 'redacted_thinking') return messages;
  blocks[blocks.length - 1] = { ...tail, cache_control: { type: 'ephemeral' } } as Param;
  return [...messages.slice(0, -1), { ...last, content: blocks } as Anthropic.MessageParam];
}
