/**
 * Plans from before the plan took campaign.yaml's names still live in Temporal histories and carries:
 * upgradePlan reads them as today's plan (the replay tests prove the commands stay the same), and the
 * plan's boundary check accepts them too.
 */
import { parsePlan } from '../../src/activities/plan-schema';
import { upgradeCarry, upgradePlan, type StoredPlan } from '../../src/workflows/plan-upgrade';
import type { CampaignCarry, CampaignPlan } from '../../src/workflows/types';

const task = { name: 'a', dir: '/t/a', hash: 'h' };
const legacy = {
  name: 'old',
  campaignDir: '/c/old',
  seedHarnessDir: '/s',
  train: [task],
  holdout: [],
  repeats: 2,
  holdoutRepeats: 1,
  k: 3,
  window: 4,
  rngSeed: 7,
  selection: 'best',
  acceptance: { kind: 'noise', alpha: 0.2, minDelta: 0.05, test: 'stratified' },
  budget: { trials: 100 },
  stop: { maxGenerations: 5, plateau: 2 },
  hints: ['x'],
} as unknown as StoredPlan;

test('a plan with the old names reads as the same plan with campaign.yaml names', () => {
  expect(upgradePlan(legacy)).toEqual({
    name: 'old',
    campaignDir: '/c/old',
    seedHarness: '/s',
    train: [task],
    holdout: [],
    repeats: 2,
    holdoutRepeats: 1,
    proposalsPerGeneration: 3,
    concurrency: 4,
    seed: 7,
    selection: 'best',
    acceptance: { mode: 'paired-test', alpha: 0.2, minDelta: 0.05, test: 'stratified' },
    budget: { trials: 100 },
    generations: 5,
    plateauGenerations: 2,
    hints: ['x'],
  });
  // No target in the old plan: none invented (an absent optional stays absent, as in the plan's JSON).
  expect('targetScore' in upgradePlan(legacy)).toBe(false);
  const greedy = { ...legacy, acceptance: { kind: 'greedy' }, stop: {} } as unknown as StoredPlan;
  expect(upgradePlan(greedy)).toMatchObject({ acceptance: { mode: 'greedy' } });
  expect('generations' in upgradePlan(greedy)).toBe(false);
});

test('a current plan is returned as it is; a carry upgrades its prepared plan and nothing else', () => {
  const current = upgradePlan(legacy);
  expect(upgradePlan(current)).toBe(current);
  const carry = {
    prepared: { plan: legacy, seed: { id: 's', dir: '/c/old/harnesses/s', complexity: 1 }, searchAttributes: [] },
    runs: 3,
  } as unknown as CampaignCarry;
  const up = upgradeCarry(carry);
  expect(up.prepared.plan).toEqual(current);
  expect(up.prepared.seed).toBe(carry.prepared.seed);
  expect(up.runs).toBe(3);
});

test('the plan boundary check accepts the old names, and still names a field the old plan lacked', () => {
  const parsed: CampaignPlan = parsePlan(legacy, 'workflow input');
  expect(parsed).toMatchObject({ proposalsPerGeneration: 3, concurrency: 4, seed: 7, generations: 5 });
  const { k: _k, ...noK } = legacy as unknown as Record<string, unknown>;
  expect(() => parsePlan(noK, 'old.json')).toThrow(/proposalsPerGeneration/);
});
