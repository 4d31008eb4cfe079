/**
 * The embedded llama.cpp (node-llama-cpp, its prebuilt CPU binary from the npm registry): one loaded model per
 * GGUF file per process, shared by every trial in it, with a fixed pool of context sequences — one request
 * at a time on each, so the pool size is the concurrency limit (sized for 2 cores by default). A request goes
 * to the free sequence whose cached tokens share the longest prefix with its prompt, so an agent's next turn
 * only evaluates what is new (the Messages API is stateless; without this every turn would re-read the whole
 * conversation). Tool calls are grammar-constrained: once the model opens a ```json block, the rest of the
 * call must be a JSON `{"name", "arguments"}` object for one of the offered tools.
 * Nothing here downloads or compiles: `build: 'never'` and `skipDownload` make a missing binary an error.
 */
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import type * as Nlc from 'node-llama-cpp';
import { LlmAbortedError, LlmModelNotFoundError } from '../errors';
import { CALL_FENCE, type ChatTurn } from './prompt';

export interface EngineSettings {
  /** Tokens per sequence (each sequence has its own). */
  contextSize: number;
  /** Sequences = requests evaluated at once. */
  sequences: number;
  threads: number;
}

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  const int = (name: string, dflt: number, min: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new LlmModelNotFoundError(`${name}=${v} must be an integer >= ${min}`);
    return n;
  };
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return {
    contextSize: int('AUTOAGENT_LOCAL_CONTEXT', 16384, 512),
    sequences: int('AUTOAGENT_LOCAL_CONCURRENCY', 2, 1),
    // Half the cores: llama.cpp's threads spin-wait on each other, and on a busy machine (Docker sandboxes,
    // verifiers, other trials) every thread short of a core stalls them all. Measured on 2 shared cores
    // (load ~12) with the 1.5B model: 1 thread 6.3 tokens/s generated, 2 threads 0.5 tokens/s.
    threads: int('AUTOAGENT_LOCAL_THREADS', Math.max(1, Math.min(8, Math.floor(cores / 2))), 1),
  };
}

export interface GenerateRequest {
  turns: ChatTurn[];
  maxTokens: number;
  temperature: number;
  /** JSON Schema (GBNF subset) of a tool call, or null when no tools are offered. */
  callSchema: Record<string, unknown> | null;
  /** Text the answer should not copy (a call the model keeps repeating): its tokens are penalised. */
  avoid?: string;
  signal?: AbortSignal;
}

export interface GenerateResult {
  text: string;
  /** 'eog': the model ended its answer; 'call': a complete constrained tool call. */
  stop: 'eog' | 'call' | 'max_tokens' | 'context';
  promptTokens: number;
  /** Prompt tokens already in the sequence's cache (not evaluated again). */
  reusedTokens: number;
  completionTokens: number;
}

// tsc (module: commonjs) would compile import() into require(), which cannot load node-llama-cpp: it is an
// ES module with top-level await. This keeps a real dynamic import in the emitted JavaScript.
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let runtime: Promise<{ nlc: typeof Nlc; llama: Nlc.Llama }> | null = null;
/** node-llama-cpp and its CPU backend, loaded once per process. */
export function loadRuntime(): Promise<{ nlc: typeof Nlc; llama: Nlc.Llama }> {
  runtime ??= (async () => {
    const nlc = (await importEsm('node-llama-cpp')) as typeof Nlc;
    const llama = await nlc.getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      logLevel: nlc.LlamaLogLevel.error,
      progressLogs: false,
    });
    return { nlc, llama };
  })();
  runtime.catch(() => (runtime = null));
  return runtime;
}

interface Slot {
  seq: Nlc.LlamaContextSequence;
  busy: boolean;
}

const engines = new Map<string, Promise<LocalEngine>>();

export class LocalEngine {
  private readonly slots: Slot[];
  private readonly waiting: Array<() => void> = [];
  private readonly grammars = new Map<string, Promise<Nlc.LlamaGrammar>>();

  private constructor(
    private readonly nlc: typeof Nlc,
    private readonly llama: Nlc.Llama,
    private readonly model: Nlc.LlamaModel,
    private readonly context: Nlc.LlamaContext,
    private readonly wrapper: Nlc.ChatWrapper,
  ) {
    this.slots = Array.from({ length: context.totalSequences }, () => ({ seq: context.getSequence(), busy: false }));
  }

  /** The shared engine for a GGUF file (loaded on first use). */
  static for(file: string, settings: EngineSettings = engineSettings()): Promise<LocalEngine> {
    let e = engines.get(file);
    if (!e) {
      e = (async () => {
        const { nlc, llama } = await loadRuntime();
        const model = await llama.loadModel({ modelPath: file });
        const context = await model.createContext({
          contextSize: settings.contextSize,
          sequences: settings.sequences,
          threads: settings.threads,
        });
        return new LocalEngine(nlc, llama, model, context, nlc.resolveChatWrapper(model));
      })();
      engines.set(file, e);
      e.catch(() => engines.delete(file));
    }
    return e;
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  get chatWrapperName(): string {
    return this.wrapper.wrapperName;
  }

  /** The chat rendered by the model's chat wrapper, ending where the assistant's answer starts. */
  tokenize(turns: ChatTurn[]): Nlc.Token[] {
    const history: Nlc.ChatHistoryItem[] = turns.map((t) =>
      t.role === 'assistant' ? { type: 'model', response: [t.text] } : { type: t.role, text: t.text },
    );
    history.push({ type: 'model', response: [] });
    const { contextText } = this.wrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(this.model.tokenizer);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const prompt = this.tokenize(req.turns);
    const room = this.contextSize - prompt.length - 1;
    if (room < 16)
      return { text: '', stop: 'context', promptTokens: prompt.length, reusedTokens: 0, completionTokens: 0 };
    const maxTokens = Math.min(req.maxTokens, room);
    const slot = await this.acquire(prompt, req.signal);
    try {
      const started = Date.now();
      const r = await this.run(slot.seq, prompt, maxTokens, req);
      recordStats(r, Date.now() - started);
      return r;
    } finally {
      this.release(slot);
    }
  }

  private async run(
    seq: Nlc.LlamaContextSequence,
    prompt: Nlc.Token[],
    maxTokens: number,
    req: GenerateRequest,
  ): Promise<GenerateResult> {
    // Keep the cached common prefix, but always evaluate at least the prompt's last token (sampling needs it).
    const reused = Math.min(seq.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1);
    if (seq.nextTokenIndex > reused) await seq.eraseContextTokenRanges([{ start: reused, end: seq.nextTokenIndex }]);
    const out: Nlc.Token[] = [];
    const punish = req.avoid ? [...new Set(this.model.tokenize(req.avoid))] : [];
    const sampling = {
      temperature: req.temperature,
      topK: 40,
      topP: 0.95,
      minP: 0.05,
      ...(punish.length
        ? {
            repeatPenalty: { punishTokens: punish, maxPunishTokens: punish.length, penalty: 1.3, presencePenalty: 0.3 },
          }
        : {}),
    };
    let input = prompt.slice(reused);
    let grammarState: Nlc.LlamaGrammarEvaluationState | undefined;
    let callStart = -1;
    let stop: GenerateResult['stop'] | null = null;
    while (stop === null) {
      let switched = false;
      for await (const token of seq.evaluate(input, {
        ...sampling,
        ...(grammarState ? { grammarEvaluationState: grammarState } : {}),
      })) {
        if (req.signal?.aborted) throw new LlmAbortedError();
        if (this.model.isEogToken(token)) {
          stop = 'eog';
          break;
        }
        out.push(token);
        if (callStart >= 0) {
          if (isCompleteJson(this.model.detokenize(out.slice(callStart)))) stop = 'call';
        } else if (req.callSchema && this.model.detokenize(out.slice(-8)).endsWith(CALL_FENCE)) {
          // The model opened a tool call: continue under the call grammar, from this token on.
          grammarState = new this.nlc.LlamaGrammarEvaluationState({
            model: this.model,
            grammar: await this.grammar(req.callSchema),
          });
          callStart = out.length;
          input = [token];
          switched = true;
        }
        if (stop === null && out.length >= maxTokens) stop = 'max_tokens';
        if (stop !== null || switched) break;
      }
      if (!switched && stop === null) stop = 'eog';
    }
    const text = this.model.detokenize(out) + (stop === 'call' ? '\n```' : '');
    return { text, stop, promptTokens: prompt.length, reusedTokens: reused, completionTokens: out.length };
  }

  private grammar(schema: Record<string, unknown>): Promise<Nlc.LlamaGrammar> {
    const key = JSON.stringify(schema);
    let g = this.grammars.get(key);
    if (!g) {
      g = this.llama.createGrammarForJsonSchema(schema as Parameters<Nlc.Llama['createGrammarForJsonSchema']>[0]);
      this.grammars.set(key, g);
      g.catch(() => this.grammars.delete(key));
    }
    return g;
  }

  private async acquire(prompt: Nlc.Token[], signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      if (signal?.aborted) throw new LlmAbortedError();
      const free = this.slots.filter((s) => !s.busy);
      if (free.length > 0) {
        const best = free.reduce((a, b) =>
          b.seq.compareContextTokens(prompt).firstDifferentIndex >
          a.seq.compareContextTokens(prompt).firstDifferentIndex
            ? b
            : a,
        );
        best.busy = true;
        return best;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new LlmAbortedError());
        };
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiting.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  private release(slot: Slot): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }
}

/**
 * One JSON line per request to env AUTOAGENT_LOCAL_STATS_FILE, when set: benchmarks/perf/local-campaign.ts
 * reads them for the tokens/s of a real campaign (the model runs inside the campaign's worker process).
 */
function recordStats(r: GenerateResult, ms: number): void {
  const file = process.env['AUTOAGENT_LOCAL_STATS_FILE'];
  if (!file) return;
  const line = {
    at: Date.now(),
    ms,
    promptTokens: r.promptTokens,
    reusedTokens: r.reusedTokens,
    completionTokens: r.completionTokens,
    stop: r.stop,
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

function isCompleteJson(s: string): boolean {
  const t = s.trim();
  if (!t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}
