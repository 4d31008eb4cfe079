/**
 * Model pricing in USD per million tokens, matched by the longest model-name prefix so dated ids
 * ("claude-sonnet-4-5-20250929") resolve. Overridable with env AUTOAGENT_PRICING_JSON
 * ({"<prefix>": {"input": n, "output": n, "cacheRead"?: n, "cacheWrite"?: n}}), merged over the table.
 * Unknown models are priced as Sonnet and flagged `priced: false` so reports can say the cost is a guess.
 * Per provider (src/llm/provider.ts): `anthropic/<model>` is priced as `<model>`; `local[/<name>]` runs on
 * this machine and costs $0, flagged `local: true`; `openai/<model>` is $0 and `priced: false` unless the
 * override prices it (e.g. {"openai/gpt-4o": {...}}) — we cannot know what a third-party endpoint charges.
 */
import { z } from 'zod';
import { firstIssue } from '../util/zod-issue';

export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  /** 5-minute cache write. */
  cacheWrite: number;
}

export class PricingConfigError extends Error {
  override readonly name = 'PricingConfigError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Cache read is 0.1x input, 5-minute cache write 1.25x input (Anthropic's published multipliers). */
const price = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: round(input * 0.1),
  cacheWrite: round(input * 1.25),
});
const round = (n: number): number => Math.round(n * 1e6) / 1e6;

export const DEFAULT_PRICING: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-6': price(5, 25),
  'claude-opus-4-5': price(5, 25),
  'claude-opus-4-1': price(15, 75),
  // Opus 4.0 spelled out (alias and dated id) so that later 4.x versions are not silently priced at 4.0 rates.
  'claude-opus-4-0': price(15, 75),
  'claude-opus-4-2025': price(15, 75),
  'claude-sonnet-4-6': price(3, 15),
  'claude-sonnet-4-5': price(3, 15),
  'claude-sonnet-4': price(3, 15),
  'claude-3-7-sonnet': price(3, 15),
  'claude-3-5-sonnet': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
  'claude-3-5-haiku': price(0.8, 4),
};
const FALLBACK_PREFIX = 'claude-sonnet-4';

const OverrideSchema = z.record(
  z.string().min(1),
  z
    .object({
      input: z.number().nonnegative(),
      output: z.number().nonnegative(),
      cacheRead: z.number().nonnegative().optional(),
      cacheWrite: z.number().nonnegative().optional(),
    })
    .strict(),
);

/** The table in effect: defaults plus the env override (validated; a bad override names the field). */
export function pricingTable(env: NodeJS.ProcessEnv = process.env): Record<string, ModelPrice> {
  const raw = env['AUTOAGENT_PRICING_JSON'];
  if (!raw) return { ...DEFAULT_PRICING };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new PricingConfigError(
      `AUTOAGENT_PRICING_JSON is not valid JSON: ${(e as Error).message}`,
      'AUTOAGENT_PRICING_JSON',
    );
  }
  const parsed = OverrideSchema.safeParse(json);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error, ['AUTOAGENT_PRICING_JSON']);
    throw new PricingConfigError(`${field}: ${message}`, field);
  }
  const table: Record<string, ModelPrice> = { ...DEFAULT_PRICING };
  for (const [prefix, p] of Object.entries(parsed.data)) {
    table[prefix] = {
      input: p.input,
      output: p.output,
      cacheRead: p.cacheRead ?? round(p.input * 0.1),
      cacheWrite: p.cacheWrite ?? round(p.input * 1.25),
    };
  }
  return table;
}

export interface PriceLookup {
  price: ModelPrice;
  /** The table key that matched (fallback key when unknown). */
  matched: string;
  /** false when the model was unknown and priced as Sonnet (or, for openai/ models, at $0). */
  priced: boolean;
  /** true for the embedded local model: $0 because nothing is billed, not because the price is unknown. */
  local: boolean;
}

const FREE: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

export function priceFor(model: string, table: Record<string, ModelPrice> = pricingTable()): PriceLookup {
  if (model === 'local' || model.startsWith('local/'))
    return { price: FREE, matched: 'local', priced: true, local: true };
  const name = model.startsWith('anthropic/') ? model.slice('anthropic/'.length) : model;
  let best: string | null = null;
  for (const prefix of Object.keys(table)) {
    if (name.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  if (best !== null) return { price: table[best]!, matched: best, priced: true, local: false };
  if (name.startsWith('openai/')) return { price: FREE, matched: 'openai/', priced: false, local: false };
  return {
    price: table[FALLBACK_PREFIX] ?? DEFAULT_PRICING[FALLBACK_PREFIX]!,
    matched: FALLBACK_PREFIX,
    priced: false,
    local: false,
  };
}
