/**
 * When a merge is proposed and which pair (src/search/merge.ts, src/workflows/merge.ts's slot plan), and how
 * a generation's records carry a merge's two parents and a sibling duplicate (campaign-state.ts).
 */
import { mergeDue, mergePair } from '../../src/search/merge';
import { addCandidates, initialSearchState } from '../../src/search/state';
import { generationRecords, initialCarry } from '../../src/workflows/campaign-state';
import type { CampaignCarry, GenerationResult, HarnessRef, TrialOutcome } from '../../src/workflows/types';
import { cand } from './search-helpers';

const seed = cand('h-seed', { a: [1, 1], b: [0, 0], c: [0, 0], d: [0, 0] });
const alpha = cand('h-alpha', { a: [1, 1], b: [1, 1], c: [0, 0], d: [0, 0] }, { parentId: 'h-seed', generation: 1 });
const beta = cand('h-beta', { a: [1, 1], b: [0, 0], c: [1, 1], d: [1, 0] }, { parentId: 'h-seed', generation: 1 });
const gamma = cand('h-gamma', { a: [1, 1], b: [0, 0], c: [0, 0], d: [1, 1] }, { parentId: 'h-seed', generation: 1 });

describe('mergeDue / mergePair', () => {
  it('is due every N-th generation (never for the seed)', () => {
    expect([0, 1, 2, 3, 4].map((g) => mergeDue(g, 2))).toEqual([false, false, true, false, true]);
    expect([1, 2].map((g) => mergeDue(g, 1))).toEqual([true, true]);
  });

  it('needs two frontier candidates that each win a task the other loses', () => {
    expect(mergePair(addCandidates(initialSearchState(1), [seed]))).toBeNull();
    // alpha dominates the seed: one frontier member, nothing to merge.
    expect(mergePair(addCandidates(initialSearchState(1), [seed, alpha]))).toBeNull();
  });

  it('picks the most complementary pair; the better-ranked one is the primary parent', () => {
    const s = addCandidates(initialSearchState(1), [seed, alpha, beta]);
    expect(s.frontierIds.sort()).toEqual(['h-alpha', 'h-beta']);
    // beta (mean 0.625) ranks above alpha (0.5): it is the primary; alpha wins b, beta wins c and d.
    expect(mergePair(s)).toEqual({
      primaryId: 'h-beta',
      otherId: 'h-alpha',
      primaryWins: ['c', 'd'],
      otherWins: ['b'],
    });
    // gamma only wins d over alpha (and nothing over beta): the alpha–beta pair stays the most complementary.
    const g = addCandidates(initialSearchState(1), [seed, alpha, beta, gamma]);
    expect(mergePair(g)?.primaryId).toBe('h-beta');
    expect(mergePair(g)?.otherId).toBe('h-alpha');
  });

  it('does not propose a pair whose merge was already accepted', () => {
    // A half-successful merge: alpha still wins b over it, beta still wins d, so all three stay on the frontier.
    const merged = cand(
      'h-merged',
      { a: [1, 1], b: [1, 0], c: [1, 1], d: [0, 0] },
      { parentId: 'h-beta', secondParentId: 'h-alpha', generation: 2 },
    );
    const s = addCandidates(initialSearchState(1), [seed, alpha, beta, merged]);
    expect(s.frontierIds.sort()).toEqual(['h-alpha', 'h-beta', 'h-merged']);
    // alpha–beta would be the most complementary pair (3 split tasks) but was merged already.
    expect(mergePair(s)).toEqual({ primaryId: 'h-beta', otherId: 'h-merged', primaryWins: ['d'], otherWins: ['b'] });
    expect(mergePair(addCandidates(initialSearchState(1), [seed, alpha, beta]))?.otherId).toBe('h-alpha');
  });
});

describe('generation records', () => {
  const ref = (id: string): HarnessRef => ({ id, dir: `/c/harnesses/${id}`, complexity: 100 });
  const usage = (costUsd: number) => ({
    inputTokens: 100,
    outputTokens: 10,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd,
  });
  const trial = (task: string, repeat: number, reward: number, costUsd: number, cached = false): TrialOutcome => ({
    trialId: `${task}-${repeat}`,
    task,
    repeat,
    reward,
    error: null,
    usage: usage(costUsd),
    cached,
  });

  function carry(): CampaignCarry {
    const c = initialCarry(
      {
        plan: {
          name: 'x',
          campaignDir: '/c',
          seedHarness: '/s',
          train: [],
          holdout: [],
          repeats: 2,
          holdoutRepeats: 1,
          proposalsPerGeneration: 2,
          concurrency: 2,
          seed: 1,
          selection: 'best',
          acceptance: { mode: 'greedy' },
          budget: {},
          hints: [],
        },
        seed: ref('h-seed'),
        searchAttributes: [],
      },
      0,
    );
    return { ...c, search: addCandidates(c.search, [seed, alpha, beta]) };
  }

  it('a merge child names both parents; cost and tokens per task are kept (cached trials at their cost)', () => {
    const result: GenerationResult = {
      proposals: [
        {
          slot: 1,
          parentId: 'h-beta',
          status: 'valid',
          candidate: ref('h-m'),
          rationale: 'merge',
          usage: usage(0.1),
          secondParentId: 'h-alpha',
        },
      ],
      evaluations: [
        {
          candidateId: 'h-m',
          error: null,
          trials: [
            trial('a', 0, 1, 0.02, true),
            trial('a', 1, 1, 0.04),
            trial('b', 0, 1, 0.1),
            trial('b', 1, 1, 0.1),
            trial('c', 0, 1, 0.1),
            trial('c', 1, 1, 0.1),
            trial('d', 0, 1, 0.1),
            trial('d', 1, 0, 0.1),
          ],
        },
      ],
      failure: null,
    };
    const [rec] = generationRecords(carry(), 2, result).records;
    expect(rec).toMatchObject({ id: 'h-m', parentId: 'h-beta', secondParentId: 'h-alpha', status: 'evaluated' });
    expect(rec?.costPerTask).toBeCloseTo((0.03 + 0.1 + 0.1 + 0.1) / 4);
    expect(rec?.tokensPerTask).toBe(110);
  });

  it('a sibling proposing the same harness is recorded as a duplicate (evaluated once)', () => {
    const trials = ['a', 'b', 'c', 'd'].flatMap((t) => [trial(t, 0, 1, 0.01), trial(t, 1, 1, 0.01)]);
    const result: GenerationResult = {
      proposals: [
        { slot: 0, parentId: 'h-beta', status: 'valid', candidate: ref('h-same'), rationale: 'one', usage: usage(0.1) },
        { slot: 1, parentId: 'h-beta', status: 'valid', candidate: ref('h-same'), rationale: 'two', usage: usage(0.2) },
      ],
      evaluations: [{ candidateId: 'h-same', error: null, trials }],
      failure: null,
    };
    const { records } = generationRecords(carry(), 2, result);
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['h-same', 'evaluated'],
      ['duplicate/2/1', 'invalid'],
    ]);
    expect(records[1]?.verdict).toBe('duplicate: the same harness as sibling candidate h-same (evaluated once)');
    expect(records[1]?.costUsd).toBe(0.2);
  });
});
