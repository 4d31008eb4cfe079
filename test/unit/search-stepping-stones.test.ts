import { alwaysAcceptImprovement, beatsParentBeyondNoise } from '../../src/search/acceptance';
import { createRng } from '../../src/search/rng';
import {
  bestSelector,
  epsilonGreedySelector,
  paretoSelector,
  posteriorSd,
  selectorFor,
  thompsonSelector,
} from '../../src/search/selection';
import { addCandidates, bestCandidate, initialSearchState } from '../../src/search/state';
import {
  anchorFor,
  carriedRecords,
  fileChild,
  finalPick,
  isSteppingStone,
  LEGACY_STONE_RULES,
  MAX_STEPPING_STONES,
  parentPool,
  STONE_RULES,
} from '../../src/search/stepping-stones';
import type { CandidateRecord } from '../../src/search/types';
import { acceptedCount, applyRecords, generationRecords, initialCarry } from '../../src/workflows/campaign-state';
import type { CampaignCarry, GenerationResult, HarnessRef, TrialOutcome } from '../../src/workflows/types';
import { cand } from './search-helpers';

const same = (n: number, r: number[]): Record<string, number[]> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, [...r]]));
const rng = () => createRng(7);
const on = { stones: true };

// A: accepted seed at 0.5 on 8 tasks; S: a stone built on A (worse, so children of S are judged against A).
const A = cand('A', same(8, [0.5]));
const S = cand('S', same(8, [0]), { parentId: 'A', generation: 1, status: 'rejected', anchorId: 'A' });
const state = addCandidates(initialSearchState(1), [A, S]);

describe('fileChild', () => {
  const test = beatsParentBeyondNoise({ alpha: 0.1, test: 'stratified' });

  it('accepts a child shown better than an accepted parent', () => {
    const child = cand('c', same(8, [1, 1]), { parentId: 'A', status: 'rejected' });
    const seed = addCandidates(initialSearchState(1), [cand('A', same(8, [0, 0]))]);
    expect(fileChild(seed, child, 'A', null, test, rng(), on)).toMatchObject({ status: 'evaluated' });
  });

  it('keeps a better-on-average, not-significant child as a stepping stone anchored at its accepted parent', () => {
    const parent = cand('P', same(8, [1, 0]));
    const child = cand('c', { ...same(8, [1, 0]), t0: [1, 1] }, { parentId: 'P', status: 'rejected' });
    const s = addCandidates(initialSearchState(1), [parent]);
    const f = fileChild(s, child, 'P', null, test, rng(), on);
    expect(f).toMatchObject({ status: 'rejected', anchorId: 'P' });
    expect(f.reason).toMatch(/stepping stone/);
    // The plain rule (stones off) rejects it outright.
    expect(fileChild(s, child, 'P', null, test, rng(), { stones: false })).toEqual({
      status: 'rejected',
      reason: expect.not.stringMatching(/stone/),
    });
  });

  it('keeps a child within the tolerance of its parent as a stone, and rejects one further below', () => {
    expect(STONE_RULES.tolerance).toBe(0.05);
    // A (0.5 on 8 tasks): 0.25 below is far past the tolerance; 0.45 is 0.05 below (the edge: no stone).
    const worse = cand('c', same(8, [0.25]), { parentId: 'A', status: 'rejected' });
    expect(fileChild(state, worse, 'A', null, test, rng(), on).anchorId).toBeUndefined();
    const edge = cand('e', same(8, [0.45]), { parentId: 'A', status: 'rejected' });
    expect(fileChild(state, edge, 'A', null, test, rng(), on).anchorId).toBeUndefined();
    const near = cand('n', same(8, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25]), { parentId: 'A', status: 'rejected' });
    expect(fileChild(state, near, 'A', null, test, rng(), on)).toEqual({
      status: 'rejected',
      anchorId: 'A',
      reason: expect.stringMatching(
        /kept as a stepping stone \(within 0\.05 of its parent; its children must beat A\)$/,
      ),
    });
    const tie = cand('t', same(8, [0.5]), { parentId: 'A', status: 'rejected' });
    expect(fileChild(state, tie, 'A', null, test, rng(), on)).toMatchObject({ status: 'rejected', anchorId: 'A' });
    // The legacy rules (campaigns started before STONE_RULES): a tie or a near miss is no stone.
    const legacy = { ...on, tolerance: LEGACY_STONE_RULES.tolerance };
    expect(fileChild(state, tie, 'A', null, test, rng(), legacy)).toEqual({
      status: 'rejected',
      reason: 'ties parent and is not simpler',
    });
    expect(fileChild(state, near, 'A', null, test, rng(), legacy).anchorId).toBeUndefined();
  });

  it('gives a child the policy rejected early no tolerance: it was shown worse, not just unproven', () => {
    const tie = cand('t', same(8, [0.5]), { parentId: 'A', status: 'rejected' });
    const early = { accepted: false, reason: 'minibatch: below its parent on the screen' };
    expect(fileChild(state, tie, 'A', early, test, rng(), on)).toEqual({ status: 'rejected', reason: early.reason });
  });

  it("tests a stone's child against the stone's anchor, not the stone", () => {
    // 0.4 everywhere: clearly better than the stone S (0), worse than its anchor A (0.5).
    const child = cand('c', same(8, [0.4]), { parentId: 'S', generation: 2, status: 'rejected' });
    const f = fileChild(state, child, 'S', null, alwaysAcceptImprovement, rng(), on);
    expect(f.status).toBe('rejected');
    expect(f.reason).toMatch(/against anchor A/);
    expect(f.anchorId).toBe('A'); // better than its parent S on average: a stone too, still anchored at A
    const better = cand('d', same(8, [0.75]), { parentId: 'S', generation: 2, status: 'rejected' });
    expect(fileChild(state, better, 'S', null, alwaysAcceptImprovement, rng(), on).status).toBe('evaluated');
  });

  it("takes a policy's early reject as final and its early accept only against an accepted parent", () => {
    const child = cand('c', same(8, [0.4]), { parentId: 'S', status: 'rejected' });
    const early = { accepted: true, reason: 'racing: better than parent' };
    expect(fileChild(state, child, 'S', early, alwaysAcceptImprovement, rng(), on).status).toBe('rejected'); // re-judged against A
    const fromA = cand('c2', same(8, [0.4]), { parentId: 'A', status: 'rejected' });
    expect(fileChild(state, fromA, 'A', early, alwaysAcceptImprovement, rng(), on)).toMatchObject({
      status: 'evaluated',
      reason: early.reason,
    });
    const rejected = fileChild(
      state,
      cand('c3', same(8, [1]), { parentId: 'A' }),
      'A',
      { accepted: false, reason: 'racing: no' },
      alwaysAcceptImprovement,
      rng(),
      on,
    );
    expect(rejected.status).toBe('rejected');
  });

  it('rejects a child of an unknown parent', () => {
    expect(fileChild(state, cand('c', same(8, [1])), 'nobody', null, alwaysAcceptImprovement, rng(), on)).toEqual({
      status: 'rejected',
      reason: 'parent unknown',
    });
  });
});

describe('stepping stones in the search state', () => {
  it('finds the anchor of a parent and never makes a stone a frontier member; a stone may be the final pick', () => {
    expect(anchorFor(state, 'A')?.id).toBe('A');
    expect(anchorFor(state, 'S')?.id).toBe('A');
    const lucky = cand('L', same(8, [0.9]), { parentId: 'A', generation: 1, status: 'rejected', anchorId: 'A' });
    const s = addCandidates(state, [lucky]);
    expect(isSteppingStone(lucky)).toBe(true);
    expect(s.frontierIds).toEqual(['A']);
    expect(bestCandidate(s)?.id).toBe('A');
    expect(finalPick(s)?.id).toBe('L'); // STONE_RULES: the best-ranked of accepted candidates and stones
    expect(finalPick(s, LEGACY_STONE_RULES)?.id).toBe('A');
    // A plain rejected record is never picked, however high it scores.
    const plain = addCandidates(s, [cand('R', same(8, [1]), { status: 'rejected' })]);
    expect(finalPick(plain)?.id).toBe('L');
    expect(finalPick(initialSearchState(1))).toBeNull();
    expect(parentPool(s).map((c) => c.id)).toEqual(['A', 'L', 'S']);
  });

  it('lets the selectors build on a stone that ranks above the frontier', () => {
    const lucky = cand('L', same(8, [0.9]), { parentId: 'A', generation: 1, status: 'rejected', anchorId: 'A' });
    const s = addCandidates(state, [lucky]);
    expect(bestSelector.select(s, rng(), 2)).toEqual(['L', 'L']);
    expect(new Set(paretoSelector.select(s, rng(), 20))).toEqual(new Set(['L'])); // L dominates A and S
    expect(epsilonGreedySelector(0).select(s, rng(), 1)).toEqual(['L']);
    // A plain rejected record is still never a parent.
    const plain = addCandidates(state, [cand('R', same(8, [1]), { status: 'rejected' })]);
    expect(bestSelector.select(plain, rng(), 1)).toEqual(['A']);
  });

  it('carries accepted records and the best stones only', () => {
    const stones: CandidateRecord[] = Array.from({ length: MAX_STEPPING_STONES + 5 }, (_, i) =>
      cand(`s${i}`, same(2, [i / 100]), { status: 'rejected', anchorId: 'A', generation: 1 }),
    );
    const plain = cand('R', same(2, [1]), { status: 'rejected' });
    const kept = carriedRecords([A, plain, ...stones]);
    expect(kept.filter(isSteppingStone)).toHaveLength(MAX_STEPPING_STONES);
    expect(kept.map((c) => c.id)).toContain('A');
    expect(kept.map((c) => c.id)).not.toContain('R');
    expect(kept.map((c) => c.id)).not.toContain('s0'); // the worst stones go first
    expect(kept.map((c) => c.id)).toContain(`s${MAX_STEPPING_STONES + 4}`);
  });
});

describe('thompson selection', () => {
  it('returns k parents from frontier and stones, deterministically, mostly the clearly best', () => {
    const lucky = cand('L', same(8, [1, 1]), { parentId: 'A', generation: 1, status: 'rejected', anchorId: 'A' });
    const s = addCandidates(state, [lucky]);
    const picks = thompsonSelector.select(s, createRng(3), 50);
    expect(picks).toHaveLength(50);
    expect(thompsonSelector.select(s, createRng(3), 50)).toEqual(picks);
    expect(picks.filter((id) => id === 'L').length).toBeGreaterThan(45); // 1.0 on 8 tasks vs 0.5 and 0
    expect(new Set(picks).size).toBeLessThanOrEqual(3);
    expect(thompsonSelector.select(initialSearchState(1), createRng(3), 2)).toEqual([]);
  });

  it('spreads proposals over candidates whose records do not tell them apart', () => {
    const a = cand('a', { t0: [1], t1: [0] });
    const b = cand('b', { t0: [0], t1: [1] }, { generation: 1 });
    const picks = selectorFor('thompson').select(addCandidates(initialSearchState(1), [a, b]), createRng(5), 200);
    const share = picks.filter((id) => id === 'a').length / picks.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });

  it('draws narrower posteriors for longer records', () => {
    expect(posteriorSd(cand('x', same(4, [1, 0, 1, 0, 1, 0]))).valueOf()).toBeLessThan(
      posteriorSd(cand('y', same(4, [1, 0]))),
    );
    expect(posteriorSd(cand('z', {}))).toBe(0);
  });
});

describe('campaign-state files children with stepping stones', () => {
  const ref = (id: string): HarnessRef => ({ id, dir: `/c/harnesses/${id}`, complexity: 100 });
  const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };
  const trials = (rewards: Record<string, number[]>): TrialOutcome[] =>
    Object.entries(rewards).flatMap(([task, rs]) =>
      rs.map((reward, repeat) => ({
        trialId: `${task}-${repeat}`,
        task,
        repeat,
        reward,
        error: null,
        usage,
        cached: false,
      })),
    );
  function carry(kind: 'paired-test' | 'greedy'): CampaignCarry {
    const acceptance =
      kind === 'greedy' ? { mode: kind } : { mode: kind, alpha: 0.1, minDelta: 0.05, test: 'stratified' as const };
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
          proposalsPerGeneration: 1,
          concurrency: 2,
          seed: 1,
          selection: 'best',
          acceptance,
          budget: {},
          hints: [],
        },
        seed: ref('P'),
        searchAttributes: [],
      } as Parameters<typeof initialCarry>[0],
      0,
    );
    return { ...c, search: addCandidates(c.search, [cand('P', same(8, [1, 0]))]) };
  }
  const childRewards = { ...same(8, [1, 0]), t0: [1, 1] }; // a hair better than P: not significant
  const result: GenerationResult = {
    proposals: [{ slot: 0, parentId: 'P', status: 'valid', candidate: ref('C'), rationale: 'r', usage }],
    evaluations: [{ candidateId: 'C', error: null, trials: trials(childRewards) }],
    failure: null,
  };

  it('carries a not-significant, better-on-average child as a stone (counted rejected, never accepted)', () => {
    const c = carry('paired-test');
    const { records, rngState } = generationRecords(c, 1, result);
    expect(records[0]).toMatchObject({ id: 'C', status: 'rejected', anchorId: 'P' });
    const next = applyRecords(c, 1, records, rngState);
    expect(next.search.candidates.map((x) => x.id)).toEqual(['P', 'C']);
    expect(next.search.frontierIds).toEqual(['P']);
    expect(next.rejectedCount).toBe(1);
    expect(acceptedCount(next)).toBe(1);
    expect(bestSelector.select(next.search, createRng(1), 1)).toEqual(['C']); // a parent for the next generation
  });

  it('keeps the plain rule under greedy acceptance (no stones)', () => {
    const c = carry('greedy');
    const { records } = generationRecords(c, 1, result);
    expect(records[0]).toMatchObject({ id: 'C', status: 'evaluated' }); // greedy: any improvement
    const tie: GenerationResult = {
      ...result,
      evaluations: [{ candidateId: 'C', error: null, trials: trials(same(8, [1, 0])) }],
    };
    const [rec] = generationRecords(c, 1, tie).records;
    expect(rec?.status).toBe('rejected');
    expect(rec?.anchorId).toBeUndefined();
  });
});
