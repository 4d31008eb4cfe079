/**
 * The embedded local model behind the LlmClient interface: `local` / `local/<name>` run in-process through
 * node-llama-cpp, with no key and no server. Requests and answers keep the Messages API shapes: tools and
 * history go in through prompt.ts, the answer's tool calls come out as tool_use blocks (parse.ts), usage
 * counts real tokens (the reused cached prefix as cache reads), and stop reasons are the API's
 * (end_turn / tool_use / max_tokens / model_context_window_exceeded).
 * Missing weights or an unloadable model are configuration faults (LlmModelNotFoundError): the campaign
 * pauses on them and says what to run, no trial is scored.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { LlmClient } from './client';
import { LlmAbortedError, LlmError, LlmModelNotFoundError } from './errors';
import { LocalEngine, type GenerateResult } from './local/engine';
import { toolCallSchema } from './local/grammar';
import { resolveLocalModel } from './local/models';
import { parseAnswer, toContentBlocks } from './local/parse';
import { REPEAT_NOTE, toChatTurns } from './local/prompt';

const DEFAULT_TEMPERATURE = 0.5;
const STUCK_TEMPERATURE = 1.0;

/** Sampling temperature: env AUTOAGENT_LOCAL_TEMPERATURE, else 0.5 (the Messages request carries none). */
function temperature(): number {
  const raw = process.env['AUTOAGENT_LOCAL_TEMPERATURE'];
  const t = raw ? Number(raw) : NaN;
  return Number.isFinite(t) && t >= 0 ? t : DEFAULT_TEMPERATURE;
}

export function createLocalClient(model: string): LlmClient {
  let engine: Promise<LocalEngine> | null = null;
  let resolvedName = model;
  const load = async (): Promise<LocalEngine> => {
    const resolved = resolveLocalModel(model); // throws LlmModelNotFoundError naming the set-up command
    resolvedName = resolved.name;
    try {
      return await LocalEngine.for(resolved.file);
    } catch (e) {
      throw new LlmModelNotFoundError(
        `the local model ${resolved.file} could not be loaded: ${(e as Error).message ?? String(e)}`,
      );
    }
  };
  return {
    async createMessage(req, opts) {
      if (opts?.signal?.aborted) throw new LlmAbortedError();
      engine ??= load();
      engine.catch(() => (engine = null));
      const llm = await engine;
      const tools = (req.tools ?? []).filter((t): t is Anthropic.Tool => 'input_schema' in t);
      const turns = toChatTurns(req);
      // A call just repeated word for word: small models copy their own history, so sample more broadly.
      const stuck = turns[turns.length - 1]?.text.includes(REPEAT_NOTE) ?? false;
      let r: GenerateResult;
      try {
        r = await llm.generate({
          turns,
          maxTokens: Math.min(req.max_tokens, maxTokensCap()),
          temperature: stuck ? Math.max(temperature(), STUCK_TEMPERATURE) : temperature(),
          ...(stuck ? { avoid: lastCallInput(req.messages) } : {}),
          callSchema: tools.length > 0 ? toolCallSchema(tools) : null,
          ...(opts?.signal ? { signal: opts.signal } : {}),
        });
      } catch (e) {
        if (e instanceof LlmError) throw e;
        if (opts?.signal?.aborted) throw new LlmAbortedError();
        throw new LlmError(`local model ${resolvedName} failed: ${(e as Error).message ?? String(e)}`, null, false);
      }
      return toMessage(r, resolvedName, tools.length > 0);
    },
  };
}

/**
 * Output tokens per answer, at most: env AUTOAGENT_LOCAL_MAX_TOKENS, else 2048. A small model that never
 * emits its end token would otherwise run to the request's max_tokens (16000 for the meta-agent): over
 * half an hour on 2 cores for one answer. A capped answer ends with stop_reason max_tokens, as the API's.
 */
function maxTokensCap(): number {
  const n = Number(process.env['AUTOAGENT_LOCAL_MAX_TOKENS']);
  return Number.isInteger(n) && n > 0 ? n : 2048;
}

/** The arguments of the newest tool call in the conversation, as JSON text. */
function lastCallInput(messages: Anthropic.MessageParam[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const c = messages[i]!.content;
    const call = typeof c === 'string' ? undefined : [...c].reverse().find((b) => b.type === 'tool_use');
    if (call && call.type === 'tool_use') return JSON.stringify(call.input);
  }
  return '';
}

export function toMessage(r: GenerateResult, model: string, toolsOffered: boolean): Anthropic.Message {
  const parsed = toolsOffered ? parseAnswer(r.text) : { text: r.text.trim(), calls: [] };
  const content = toContentBlocks(parsed);
  const stop: Anthropic.StopReason =
    r.stop === 'context'
      ? 'model_context_window_exceeded'
      : r.stop === 'max_tokens'
        ? 'max_tokens'
        : parsed.calls.length > 0
          ? 'tool_use'
          : 'end_turn';
  return {
    id: `msg_local_${Date.now().toString(36)}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      input_tokens: r.promptTokens - r.reusedTokens,
      output_tokens: r.completionTokens,
      cache_read_input_tokens: r.reusedTokens,
      cache_creation_input_tokens: 0,
      server_tool_use: null,
      service_tier: null,
    },
  } as Anthropic.Message;
}
