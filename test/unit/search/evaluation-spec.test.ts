import { userIssues } from '../../../src/campaign/schema';
import { indexedPath } from '../../../src/util/zod-issue';
import { DEFAULT_EVALUATION_POLICY, EvaluationSpecSchema, policyFor } from '../../../src/search/evaluation';

const problems = (v: unknown): string[] => {
  const r = EvaluationSpecSchema.safeParse(v);
  return r.success ? [] : userIssues(r.error.issues).map((i) => `${indexedPath(i.path)}: ${i.message}`);
};

describe('evaluation spec (campaign.yaml `evaluation:`)', () => {
  it('fills defaults for an empty block', () => {
    const spec = EvaluationSpecSchema.parse({});
    expect(spec.policy).toBe(DEFAULT_EVALUATION_POLICY);
    expect(spec.minibatch).toEqual({ fraction: 0.3, repeats: 1, margin: 0 });
    expect(spec.racing).toEqual({ alpha: 0.1, beta: 0.2, minEffect: 0.2, maxExtraRepeats: expect.any(Number) });
  });

  it('accepts each policy by name and maps it to its implementation', () => {
    for (const policy of ['full', 'minibatch', 'racing'] as const) {
      expect(EvaluationSpecSchema.parse({ policy }).policy).toBe(policy);
      expect(policyFor(policy).name).toBe(policy);
    }
  });

  it('names unknown keys and bad values as the campaign schema does', () => {
    expect(problems({ policy: 'racin' })).toEqual(['policy: expected one of "full", "minibatch", "racing"']);
    expect(problems({ racing: { alpah: 0.1 } })).toEqual(['racing.alpah: unknown field']);
    expect(problems({ racing: { alpha: 1.5 } })).toEqual(['racing.alpha: expected a number between 0 and 1']);
    expect(problems({ minibatch: { size: 0 } })).toEqual(['minibatch.size: expected a positive integer']);
    expect(problems({ racing: { maxExtraRepeats: 'two' } })).toEqual([
      'racing.maxExtraRepeats: expected a non-negative integer',
    ]);
    expect(problems({ extra: true })).toEqual(['extra: unknown field']);
  });
});
