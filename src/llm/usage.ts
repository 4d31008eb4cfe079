/** Token usage and its price, per call and summed per trial / proposal / campaign. */
import { z } from 'zod';
import { priceFor, type ModelPrice } from './pricing';

export const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  costUsd: z.number(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const zeroUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd: 0,
});

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

export const totalTokens = (u: Usage): number =>
  u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;

/** The token counts of one Messages API response (`message.usage`); null counts mean 0. */
export interface ApiUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * One response's usage priced for `model`. `input_tokens` already excludes cached tokens, so the four
 * counts are disjoint and each is charged at its own rate.
 */
export function usageFromResponse(model: string, api: ApiUsage, table?: Record<string, ModelPrice>): Usage {
  const { price } = priceFor(model, table);
  const u = {
    inputTokens: api.input_tokens,
    outputTokens: api.output_tokens,
    cacheReadTokens: api.cache_read_input_tokens ?? 0,
    cacheWriteTokens: api.cache_creation_input_tokens ?? 0,
  };
  const costUsd =
    (u.inputTokens * price.input +
      u.outputTokens * price.output +
      u.cacheReadTokens * price.cacheRead +
      u.cacheWriteTokens * price.cacheWrite) /
    1_000_000;
  return { ...u, costUsd };
}
