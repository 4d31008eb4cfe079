import { DEFAULT_PRICING, PricingConfigError, priceFor, pricingTable } from '../../src/llm/pricing';
import { usageFromResponse } from '../../src/llm/usage';

describe('pricing', () => {
  it.each([
    ['claude-opus-4-1-20250805', 15, 75],
    ['claude-opus-4-20250514', 15, 75],
    ['claude-opus-4-0', 15, 75],
    ['claude-opus-4-6', 5, 25],
    ['claude-sonnet-4-6', 3, 15],
    ['claude-opus-4-5-20251101', 5, 25],
    ['claude-sonnet-4-5-20250929', 3, 15],
    ['claude-sonnet-4-20250514', 3, 15],
    ['claude-haiku-4-5', 1, 5],
    ['claude-3-5-haiku-20241022', 0.8, 4],
  ])('%s costs %d/%d per MTok and is priced', (model, input, output) => {
    const p = priceFor(model, DEFAULT_PRICING);
    expect(p.priced).toBe(true);
    expect(p.price.input).toBe(input);
    expect(p.price.output).toBe(output);
    expect(p.price.cacheRead).toBeCloseTo(input * 0.1, 9);
    expect(p.price.cacheWrite).toBeCloseTo(input * 1.25, 9);
  });

  it.each(['gpt-something', 'claude-opus-4-9', 'claude-opus-5'])(
    'prices unknown model %s as sonnet and flags it',
    (model) => {
      const p = priceFor(model, DEFAULT_PRICING);
      expect(p.priced).toBe(false);
      expect(p.price).toEqual(DEFAULT_PRICING['claude-sonnet-4']);
    },
  );

  it('merges AUTOAGENT_PRICING_JSON over the defaults, deriving cache prices', () => {
    const table = pricingTable({
      AUTOAGENT_PRICING_JSON: JSON.stringify({
        'my-model': { input: 2, output: 10 },
        'claude-haiku-4-5': { input: 9, output: 9, cacheRead: 1, cacheWrite: 2 },
      }),
    });
    expect(priceFor('my-model-v1', table)).toMatchObject({
      priced: true,
      price: { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 },
    });
    expect(priceFor('claude-haiku-4-5', table).price).toEqual({ input: 9, output: 9, cacheRead: 1, cacheWrite: 2 });
    expect(priceFor('claude-opus-4-1', table).price.input).toBe(15);
  });

  it('rejects a bad override naming the field', () => {
    expect(() => pricingTable({ AUTOAGENT_PRICING_JSON: '{"m": {"input": -1, "output": 1}}' })).toThrow(
      /AUTOAGENT_PRICING_JSON\.m\.input/,
    );
    expect(() => pricingTable({ AUTOAGENT_PRICING_JSON: '{oops' })).toThrow(PricingConfigError);
    try {
      pricingTable({ AUTOAGENT_PRICING_JSON: '{"m": {"output": 1}}' });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(PricingConfigError);
      expect((e as PricingConfigError).field).toBe('AUTOAGENT_PRICING_JSON.m.input');
    }
  });
});

describe('usageFromResponse', () => {
  it('charges each token class at its own rate', () => {
    const u = usageFromResponse(
      'claude-sonnet-4-5-20250929',
      { input_tokens: 1000, output_tokens: 200, cache_read_input_tokens: 5000, cache_creation_input_tokens: 400 },
      DEFAULT_PRICING,
    );
    expect(u).toMatchObject({ inputTokens: 1000, outputTokens: 200, cacheReadTokens: 5000, cacheWriteTokens: 400 });
    // 1000*3 + 200*15 + 5000*0.3 + 400*3.75 = 3000 + 3000 + 1500 + 1500 = 9000 per MTok-units
    expect(u.costUsd).toBeCloseTo(0.009, 12);
  });

  it('treats null cache counts as zero', () => {
    const u = usageFromResponse(
      'claude-opus-4-1',
      { input_tokens: 10, output_tokens: 10, cache_read_input_tokens: null, cache_creation_input_tokens: null },
      DEFAULT_PRICING,
    );
    expect(u.cacheReadTokens).toBe(0);
    expect(u.costUsd).toBeCloseTo((10 * 15 + 10 * 75) / 1e6, 12);
  });
});

describe('pricing per provider', () => {
  it.each(['local', 'local/qwen2.5-coder-1.5b'])(
    '%s costs $0 and is flagged local (priced: we know it is free)',
    (model) => {
      const p = priceFor(model, DEFAULT_PRICING);
      expect(p).toEqual({
        price: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        matched: 'local',
        priced: true,
        local: true,
      });
      expect(usageFromResponse(model, { input_tokens: 1e6, output_tokens: 1e6 }, DEFAULT_PRICING).costUsd).toBe(0);
    },
  );

  it('an openai/ model is $0 and flagged priced: false, unless AUTOAGENT_PRICING_JSON prices it', () => {
    expect(priceFor('openai/gpt-4o-mini', DEFAULT_PRICING)).toMatchObject({
      priced: false,
      local: false,
      price: { input: 0, output: 0 },
    });
    expect(
      usageFromResponse('openai/gpt-4o-mini', { input_tokens: 1e6, output_tokens: 1e6 }, DEFAULT_PRICING).costUsd,
    ).toBe(0);
    const table = pricingTable({
      AUTOAGENT_PRICING_JSON: JSON.stringify({ 'openai/gpt-4o': { input: 2.5, output: 10 } }),
    });
    expect(priceFor('openai/gpt-4o-2024-08-06', table)).toMatchObject({
      priced: true,
      local: false,
      matched: 'openai/gpt-4o',
      price: { input: 2.5, output: 10 },
    });
    expect(usageFromResponse('openai/gpt-4o', { input_tokens: 1e6, output_tokens: 1e6 }, table).costUsd).toBeCloseTo(
      12.5,
      9,
    );
  });

  it('anthropic/<model> is priced as <model>', () => {
    expect(priceFor('anthropic/claude-haiku-4-5', DEFAULT_PRICING)).toMatchObject({
      priced: true,
      local: false,
      matched: 'claude-haiku-4-5',
    });
  });
});
