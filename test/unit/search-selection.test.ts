import { bestOnCounts, paretoFrontier } from '../../src/search/frontier';
import { createRng } from '../../src/search/rng';
import { bestSelector, epsilonGreedySelector, paretoSelector, selectorFor } from '../../src/search/selection';
import { addCandidates, bestCandidate, holdoutCandidates, initialSearchState } from '../../src/search/state';
import { cand } from './search-helpers';

// a: strong on t1, b: strong on t2, c: dominated by a, d: best mean but rejected (never a parent).
const a = cand('a', { t1: [1, 1], t2: [0, 0] }, { generation: 0 });
const b = cand('b', { t1: [0, 0], t2: [1, 0.5] }, { generation: 1 });
const c = cand('c', { t1: [0.5, 0.5], t2: [0, 0] }, { generation: 1 });
const d = cand('d', { t1: [1, 1], t2: [1, 1] }, { generation: 2, status: 'rejected' });

describe('frontier', () => {
  it('keeps non-dominated accepted candidates, best first', () => {
    expect(paretoFrontier([a, b, c, d])).toEqual(['a', 'b']);
  });

  it('keeps only the simpler of two identical score vectors', () => {
    const twin = cand('twin', a.taskRewards, { complexity: 50, generation: 3 });
    expect(paretoFrontier([a, twin])).toEqual(['twin']);
  });

  it('counts the tasks each frontier member is best on, ignoring unsolved tasks', () => {
    const e = cand('e', { t1: [1], t2: [0], t3: [0] });
    const f = cand('f', { t1: [1], t2: [1], t3: [0] });
    expect(bestOnCounts([e, f])).toEqual([1, 2]);
  });

  it('state transitions recompute the frontier and replace records by id', () => {
    let s = addCandidates(initialSearchState(5), [a, c]);
    expect(s.frontierIds).toEqual(['a']);
    s = addCandidates(s, [b, { ...c, taskRewards: { t1: [1], t2: [1] }, meanReward: 1 }]);
    expect(s.frontierIds).toEqual(['c']);
    expect(s.candidates).toHaveLength(3);
    expect(bestCandidate(s)?.id).toBe('c');
    expect(holdoutCandidates(s, 2)).toEqual(['c', 'a']);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('parent selection', () => {
  const view = addCandidates(initialSearchState(0), [a, b, c, d]);

  it('best: hill-climbs on the highest mean; ties go to simpler then older', () => {
    expect(bestSelector.select(view, createRng(0), 3)).toEqual(['a', 'a', 'a']);
    const tie = addCandidates(initialSearchState(0), [
      cand('old', { t1: [1] }, { generation: 0 }),
      cand('new', { t1: [1] }, { generation: 2 }),
      cand('small', { t1: [1] }, { generation: 3, complexity: 10 }),
    ]);
    expect(tie.frontierIds).toEqual(['small']);
    const tie2 = {
      candidates: [cand('old', { t1: [1] }), cand('new', { t1: [1] }, { generation: 2 })],
      frontierIds: ['new', 'old'],
    };
    expect(bestSelector.select(tie2, createRng(0), 1)).toEqual(['old']);
  });

  it('pareto: samples frontier members weighted by tasks they are best on', () => {
    const s = addCandidates(initialSearchState(0), [
      cand('x', { t1: [1], t2: [1], t3: [0] }),
      cand('y', { t1: [0], t2: [0], t3: [1] }),
    ]);
    const picks = paretoSelector.select(s, createRng(11), 3000);
    const x = picks.filter((p) => p === 'x').length;
    expect(new Set(picks)).toEqual(new Set(['x', 'y']));
    expect(x / picks.length).toBeGreaterThan(0.6);
    expect(x / picks.length).toBeLessThan(0.73);
    expect(paretoSelector.select(s, createRng(11), 20)).toEqual(paretoSelector.select(s, createRng(11), 20));
  });

  it('epsilon-greedy: mostly the best, sometimes explores; epsilon 0 is pure hill-climbing', () => {
    const picks = epsilonGreedySelector(0.5).select(view, createRng(2), 2000);
    const explore = picks.filter((p) => p === 'b').length / picks.length; // half of the 50% explores
    expect(explore).toBeGreaterThan(0.2);
    expect(explore).toBeLessThan(0.3);
    expect(new Set(epsilonGreedySelector(0).select(view, createRng(2), 50))).toEqual(new Set(['a']));
  });

  it('returns nothing on an empty frontier, and selectorFor maps names', () => {
    const empty = initialSearchState(0);
    for (const s of [bestSelector, paretoSelector, epsilonGreedySelector(0.3)])
      expect(s.select(empty, createRng(0), 2)).toEqual([]);
    expect(selectorFor('pareto').name).toBe('pareto');
    expect(selectorFor('epsilon-greedy', { epsilon: 0.2 }).name).toBe('epsilon-greedy(0.2)');
    expect(selectorFor('best').name).toBe('best');
  });
});
