/**
 * A local model's answer → Messages API content blocks. Tool calls are accepted in the forms small models
 * write: a ```json fenced block (what prompt.ts asks for), Qwen's native <tool_call>…</tool_call>, or an answer
 * that is nothing but the JSON object. Each call becomes a tool_use block with a fresh id; the rest of the
 * answer stays text. A call whose JSON is broken but whose tool name can be read still becomes a tool_use,
 * with the raw argument text as input, so the tool's own input check reports the problem back to the model
 * and the run goes on; a block that names no tool stays text.
 */
import { randomBytes } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';

interface ParsedCall {
  name: string;
  /** The arguments object, or the raw text when it was not valid JSON. */
  input: unknown;
  wellFormed: boolean;
}

export interface ParsedAnswer {
  text: string;
  calls: ParsedCall[];
}

const CALL_PATTERNS: RegExp[] = [
  /```(?:json|tool_call|tool)?[ \t]*\n?(\{[\s\S]*?\})\s*(?:```|$)/g,
  /<tool_call>\s*(\{[\s\S]*?\})\s*(?:<\/tool_call>|$)/g,
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** A parsed `{name, arguments}` object → a call; null when it does not look like one. */
function callFromObject(o: unknown): ParsedCall | null {
  if (!isObject(o) || typeof o['name'] !== 'string' || !o['name']) return null;
  let args = o['arguments'] ?? o['parameters'] ?? o['input'] ?? {};
  if (typeof args === 'string') args = tryJson(args) ?? args; // OpenAI-style arguments as a JSON string
  return { name: o['name'], input: args, wellFormed: isObject(args) };
}

/** Broken JSON: recover the tool name (and the raw arguments) if the text names one. */
function callFromBrokenJson(raw: string): ParsedCall | null {
  const name = /"name"\s*:\s*"([A-Za-z0-9_.-]+)"/.exec(raw)?.[1];
  if (!name) return null;
  const args = /"(?:arguments|parameters|input)"\s*:\s*([\s\S]*)\}\s*$/.exec(raw)?.[1]?.trim() ?? raw;
  return { name, input: args, wellFormed: false };
}

export function parseAnswer(answer: string): ParsedAnswer {
  const calls: ParsedCall[] = [];
  let text = answer;
  for (const pattern of CALL_PATTERNS) {
    text = text.replace(pattern, (whole: string, body: string) => {
      const call = callFromObject(tryJson(body)) ?? callFromBrokenJson(body);
      if (!call) return whole;
      calls.push(call);
      return '';
    });
  }
  if (calls.length === 0) {
    const whole = callFromObject(tryJson(answer.trim()));
    if (whole) return { text: '', calls: [whole] };
  }
  return { text: text.replace(/\n{3,}/g, '\n\n').trim(), calls };
}

const newToolUseId = (): string => `toolu_local_${randomBytes(10).toString('hex')}`;

export function toContentBlocks(parsed: ParsedAnswer): Anthropic.ContentBlock[] {
  const blocks: Anthropic.ContentBlock[] = [];
  if (parsed.text) blocks.push({ type: 'text', text: parsed.text, citations: null });
  for (const c of parsed.calls)
    blocks.push({ type: 'tool_use', id: newToolUseId(), caller: { type: 'direct' }, name: c.name, input: c.input });
  return blocks;
}
