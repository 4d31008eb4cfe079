/**
 * Model references, named the way the ecosystem names them (`provider/model`, as LiteLLM and Harbor do):
 *   `claude-…` | `anthropic/<model>` → the Anthropic Messages API (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL)
 *   `openai/<model>`                 → any OpenAI-compatible Chat Completions endpoint (OPENAI_BASE_URL, OPENAI_API_KEY)
 *   `local` | `local/<name>`         → the embedded local model (node-llama-cpp; no key, no server)
 * A bare name without a provider prefix is Anthropic's, as it always was. This module is the one place that
 * decides which client serves a model and which credential that needs, so `run`/`eval` can refuse to start
 * before any trial when the credential is missing.
 */
import type { LlmClient } from './client';
import type { LlmError } from './errors';
import { localModelProblem } from './local/models';
import { limitedClient, limiterFor } from './limiter';

const PROVIDERS = ['anthropic', 'openai', 'local'] as const;
type ProviderName = (typeof PROVIDERS)[number];

export interface ModelRef {
  provider: ProviderName;
  /** The model name the provider is asked for (prefix removed; `local` alone → the default local model). */
  model: string;
  /** As written in harness.yaml / campaign.yaml. */
  raw: string;
}

export class ModelRefError extends Error {
  override readonly name = 'ModelRefError';
}

const DEFAULT_LOCAL_MODEL = 'default';

export function parseModelRef(raw: string): ModelRef {
  const s = raw.trim();
  if (!s) throw new ModelRefError('model is empty');
  if (s === 'local') return { provider: 'local', model: DEFAULT_LOCAL_MODEL, raw };
  const slash = s.indexOf('/');
  if (slash < 0) return { provider: 'anthropic', model: s, raw };
  const prefix = s.slice(0, slash);
  const model = s.slice(slash + 1);
  if (!(PROVIDERS as readonly string[]).includes(prefix)) {
    throw new ModelRefError(
      `unknown provider "${prefix}" in model "${raw}" (use anthropic/<model>, openai/<model> or local[/<name>])`,
    );
  }
  if (!model) throw new ModelRefError(`model "${raw}" names no model after "${prefix}/"`);
  return { provider: prefix as ProviderName, model, raw };
}

export interface CredentialProblem {
  /** The environment variable to set. */
  variable: string;
  message: string;
}

/**
 * What is missing before a model can be called, or null. Checked client-side before anything starts. For the
 * local model that is its weights file (installed by scripts/setup.sh, or AUTOAGENT_LOCAL_MODEL_PATH).
 * OpenAI-compatible servers (vLLM, Ollama, llama.cpp) often need no key, but the SDK refuses to start
 * without one, and without OPENAI_BASE_URL it would call api.openai.com: either of them is enough.
 */
export function missingCredential(raw: string, env: NodeJS.ProcessEnv = process.env): CredentialProblem | null {
  const ref = parseModelRef(raw);
  if (ref.provider === 'anthropic' && !env['ANTHROPIC_API_KEY']) {
    return {
      variable: 'ANTHROPIC_API_KEY',
      message: `ANTHROPIC_API_KEY is not set: model "${raw}" uses the Anthropic Messages API (set ANTHROPIC_API_KEY; ANTHROPIC_BASE_URL for a proxy)`,
    };
  }
  if (ref.provider === 'openai' && !env['OPENAI_API_KEY'] && !env['OPENAI_BASE_URL']) {
    return {
      variable: 'OPENAI_API_KEY',
      message: `OPENAI_API_KEY is not set: model "${raw}" uses an OpenAI-compatible endpoint (set OPENAI_API_KEY, and OPENAI_BASE_URL for a local server)`,
    };
  }
  if (ref.provider === 'local') {
    // The weights are the local model's "credential": missing ones are found before anything starts.
    const problem = localModelProblem(ref.model, env);
    if (problem) return { variable: 'AUTOAGENT_LOCAL_MODEL_PATH', message: `model "${raw}": ${problem}` };
  }
  return null;
}

/** The variable holding the credential a model reference needs (null: none, e.g. the local model). */
export function credentialVariableOf(model: string): string | null {
  try {
    const { provider } = parseModelRef(model);
    return provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : provider === 'openai' ? 'OPENAI_API_KEY' : null;
  } catch {
    return null;
  }
}

/** What is wrong, naming the variable or the model: "ANTHROPIC_API_KEY was rejected (401) for model "m": …". */
export function faultSummaryOf(e: LlmError, model: string): string {
  const variable = credentialVariableOf(model) ?? 'the API key';
  const detail = e.message.split('\n')[0] ?? e.message;
  if (e.fault === 'credential') {
    const what = e.status === null ? `${variable} is missing` : `${variable} was rejected (${e.status})`;
    return `${what} for model "${model}": ${detail}`;
  }
  return `model "${model}" is not served by the endpoint (${e.status ?? '?'}): ${detail}`;
}

/**
 * The client for a model reference. Provider SDKs load lazily, on the first call, so commands that make
 * no model call never pay for them. Every client of one model in this process shares one rate limiter
 * (src/llm/limiter.ts); the SDKs fetch through it so a 429's retry-after holds back all of them.
 */
export function createLlmClient(raw: string): LlmClient {
  const ref = parseModelRef(raw);
  const limiter = limiterFor(`${ref.provider}/${ref.model}`);
  let client: Promise<LlmClient> | null = null;
  const load = async (): Promise<LlmClient> => {
    const fetch = limiter.wrapFetch(globalThis.fetch);
    switch (ref.provider) {
      case 'anthropic':
        return (await import('./client')).createAnthropicClient({ fetch });
      case 'openai':
        return (await import('./openai-client')).createOpenAiClient({ fetch });
      case 'local':
        return (await import('./local-client')).createLocalClient(ref.model);
    }
  };
  return limitedClient(
    {
      async createMessage(req, opts) {
        client ??= load();
        // The provider sees its own model name; for non-Anthropic providers trajectories and pricing keep the
        // reference as written (`openai/…`, `local/…`), so a price lookup never mistakes one for a Claude model.
        const resp = await (await client).createMessage({ ...req, model: ref.model }, opts);
        return ref.provider === 'anthropic' ? resp : { ...resp, model: ref.raw };
      },
    },
    limiter,
  );
}
