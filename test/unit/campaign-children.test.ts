/**
 * What the campaign starts each child with (src/workflows/campaign-children.ts): the plan's names map onto
 * the children's inputs, the carried state (pause, hints, known candidates) is read at the time of the call,
 * and a campaign that sets no metric, merge or policy sends inputs without those keys (as recorded histories have).
 */
import { addCandidates } from '../../src/search/state';
import type { CandidateRecord } from '../../src/search/types';
import { baselineArgs, generationArgs, holdoutArgs, parentRefs } from '../../src/workflows/campaign-children';
import { initialCarry } from '../../src/workflows/campaign-state';
import type { CampaignCarry, CampaignPlan } from '../../src/workflows/types';

const task = (name: string) => ({ name, dir: `/b/${name}`, hash: `h-${name}` });

function carry(plan: Partial<CampaignPlan> = {}): CampaignCarry {
  return initialCarry(
    {
      plan: {
        name: 'demo',
        campaignDir: '/c',
        seedHarness: '/s',
        train: [task('a'), task('b')],
        holdout: [task('h')],
        repeats: 2,
        holdoutRepeats: 3,
        proposalsPerGeneration: 2,
        concurrency: 5,
        seed: 1,
        selection: 'best',
        acceptance: { mode: 'greedy' },
        budget: {},
        hints: ['be brief'],
        runtime: { trialAttempts: 2 },
        ...plan,
      } as CampaignPlan,
      seed: { id: 'seed', dir: '/c/harnesses/seed', complexity: 1 },
      searchAttributes: [],
    },
    0,
  );
}

const record = (id: string, complexity: number): CandidateRecord => ({
  id,
  parentId: null,
  generation: 0,
  status: 'evaluated',
  verdict: '',
  rationale: '',
  taskRewards: { a: [1] },
  meanReward: 1,
  costUsd: 0,
  complexity,
});

test('the baseline evaluates the seed on train at the campaign concurrency, paused if the campaign is', () => {
  const c = carry();
  expect(baselineArgs(c)).toEqual({
    campaign: 'demo',
    campaignDir: '/c',
    candidates: [{ id: 'seed', dir: '/c/harnesses/seed', complexity: 1 }],
    tasks: [task('a'), task('b')],
    repeats: 2,
    window: 5,
    runtime: { trialAttempts: 2 },
    paused: false,
  });
  expect(baselineArgs({ ...c, paused: true }).paused).toBe(true);
  expect(baselineArgs(carry({ metric: 'accuracy' })).metric).toBe('accuracy');
});

test('the holdout evaluates the picks on holdout tasks with holdoutRepeats, never paused by its input', () => {
  const picks = [{ id: 'best', dir: '/c/harnesses/best', complexity: 2 }];
  const args = holdoutArgs(carry(), picks);
  expect(args).toMatchObject({ candidates: picks, tasks: [task('h')], repeats: 3, window: 5 });
  expect(args.candidates).not.toBe(picks);
  expect('paused' in args || 'metric' in args).toBe(false);
});

test('parents are references: their ids and complexities (an unknown id still gets one)', () => {
  const c = { ...carry(), search: addCandidates(carry().search, [record('p1', 4)]) };
  expect(parentRefs(c, ['p1', 'gone'])).toEqual([
    { id: 'p1', complexity: 4 },
    { id: 'gone', complexity: 0 },
  ]);
});

test('a generation gets its attempt, parents, the hints and known ids of the moment, and only the keys its plan asks for', () => {
  const c = { ...carry(), search: addCandidates(carry().search, [record('seed', 1)]), paused: true };
  const parents = parentRefs(c, ['seed', 'seed']);
  const args = generationArgs(c, 3, 'gen-3-retry-1', parents, undefined);
  expect(args).toEqual({
    campaign: 'demo',
    campaignDir: '/c',
    generation: 3,
    attemptLabel: 'gen-3-retry-1',
    parents,
    knownIds: ['seed'],
    hints: ['be brief'],
    train: [task('a'), task('b')],
    repeats: 2,
    window: 5,
    paused: true,
    runtime: { trialAttempts: 2 },
    holdoutTasks: ['h'],
    meta: null,
  });
  c.hints.push('later'); // the child got a copy: a hint added while it runs reaches the next generation, not this one
  expect(args.hints).toEqual(['be brief']);

  const merges = [null, { other: parents[0]!, parentWins: ['a'], otherWins: ['b'] }];
  expect(generationArgs(c, 3, 'gen-3', parents, merges).merges).toBe(merges);
  const racing = carry({ evaluation: { policy: 'racing' } as CampaignPlan['evaluation'] });
  const withPolicy = generationArgs(
    { ...racing, search: addCandidates(racing.search, [record('seed', 1)]) },
    1,
    'gen-1',
    parents,
    undefined,
  );
  expect(withPolicy.evaluation).toMatchObject({ seed: 1, parentScores: { seed: { a: [1] } } });
});
