/**
 * The workflow's wiring of evaluation policies (src/workflows/policies.ts), as pure functions: a `full`
 * plan adds nothing to a generation's input (so its commands stay as recorded), each child is given its
 * own parent's rewards and its own seed, and a verdict says what the policy saved.
 */
import { EvaluationSpecSchema } from '../../src/search/evaluation/policy';
import { addCandidates, initialSearchState } from '../../src/search/state';
import type { CandidateRecord } from '../../src/search/types';
import { initialCarry, plannedGenerationTrials } from '../../src/workflows/campaign-state';
import {
  generationEvaluation,
  generationPolicy,
  policyInputFor,
  usesPolicy,
  verdictWithSavings,
} from '../../src/workflows/policies';
import type { CampaignPlan, GenerationInput, ProposalOutcome } from '../../src/workflows/types';
import { testPlan } from '../temporal/support/fakes';

const RACING = EvaluationSpecSchema.parse({ policy: 'racing' });
const FULL = EvaluationSpecSchema.parse({ policy: 'full' });
const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 };

const record = (id: string, taskRewards: Record<string, number[]>): CandidateRecord => ({
  id,
  parentId: null,
  generation: 0,
  status: 'evaluated',
  verdict: '',
  rationale: '',
  taskRewards,
  meanReward: 0,
  costUsd: 0,
  complexity: 1,
});
const search = addCandidates(initialSearchState(1), [record('p1', { a: [1, 0] }), record('p2', { a: [0, 0] })]);
const plan = (evaluation?: CampaignPlan['evaluation']): CampaignPlan =>
  testPlan('/tmp', 'w', evaluation ? { evaluation } : {});
const parents = [
  { id: 'p1', dir: '/h/p1', complexity: 1 },
  { id: 'p2', dir: '/h/p2', complexity: 1 },
];

test('a full (or absent) policy leaves the generation input exactly as before policies', () => {
  expect(generationEvaluation(plan(), search, parents)).toEqual({});
  expect(generationEvaluation(plan(FULL), search, parents)).toEqual({});
  expect(usesPolicy(undefined)).toBe(false);
  expect(usesPolicy({ spec: FULL, seed: 1, parentScores: {} })).toBe(false);
  expect(usesPolicy({ spec: RACING, seed: 1, parentScores: {} })).toBe(true);
});

test("each child gets its own parent's rewards; invalid proposals and unknown parents get none", () => {
  const evaluation = generationEvaluation(plan(RACING), search, parents).evaluation;
  expect(evaluation).toEqual({ spec: RACING, seed: 7, parentScores: { p1: { a: [1, 0] }, p2: { a: [0, 0] } } });
  const proposals: ProposalOutcome[] = [
    {
      slot: 0,
      parentId: 'p1',
      status: 'valid',
      candidate: { id: 'c1', dir: '/h/c1', complexity: 1 },
      rationale: '',
      usage,
    },
    {
      slot: 1,
      parentId: 'p2',
      status: 'valid',
      candidate: { id: 'c2', dir: '/h/c2', complexity: 1 },
      rationale: '',
      usage,
    },
    { slot: 2, parentId: 'p1', status: 'invalid', error: 'bad', rationale: '', usage },
    {
      slot: 3,
      parentId: 'gone',
      status: 'valid',
      candidate: { id: 'c3', dir: '/h/c3', complexity: 1 },
      rationale: '',
      usage,
    },
  ];
  const input = { evaluation } as GenerationInput;
  const policy = generationPolicy(input, proposals).policy;
  expect(policy?.parentScores).toEqual({ c1: { a: [1, 0] }, c2: { a: [0, 0] } });
  expect(generationPolicy({} as GenerationInput, proposals)).toEqual({});
  // A child without a parent record runs the full schedule (its policy sees no parent scores).
  const tasks = [{ name: 'a', dir: '/t/a', hash: 'x' }];
  expect(policyInputFor(policy!, 'c3', tasks, 2)).toMatchObject({ tasks: ['a'], repeats: 2, parentScores: {} });
  // Seeds differ per candidate (independent minibatch samples / racing orders), and are stable.
  expect(policyInputFor(policy!, 'c1', tasks, 2).seed).not.toBe(policyInputFor(policy!, 'c2', tasks, 2).seed);
  expect(policyInputFor(policy!, 'c1', tasks, 2).seed).toBe(policyInputFor(policy!, 'c1', tasks, 2).seed);
});

test('the verdict says how many trials the decision saved', () => {
  expect(verdictWithSavings('racing: worse', {})).toBe('racing: worse');
  expect(verdictWithSavings('racing: worse', { cancelled: { started: 0, unstarted: 0 } })).toBe('racing: worse');
  expect(verdictWithSavings('racing: worse', { cancelled: { started: 2, unstarted: 3 } })).toBe(
    'racing: worse; 5 trials not needed (2 cancelled, 3 never started)',
  );
});

test('the budget check before a generation counts the extra repeats racing may give', () => {
  const carry = (p: CampaignPlan) =>
    initialCarry({ plan: p, seed: { id: 's', dir: '/s', complexity: 1 }, searchAttributes: [] }, 0);
  const base = plan(); // k 2 × 3 tasks × 2 repeats
  expect(plannedGenerationTrials(carry(base))).toBe(12);
  expect(plannedGenerationTrials(carry(plan(RACING)))).toBe(2 * 3 * (2 + RACING.racing.maxExtraRepeats));
  const extra = EvaluationSpecSchema.parse({ policy: 'racing', racing: { maxExtraRepeats: 3 } });
  expect(plannedGenerationTrials(carry(plan(extra)))).toBe(2 * 3 * 5);
  expect(plannedGenerationTrials(carry(plan(EvaluationSpecSchema.parse({ policy: 'minibatch' }))))).toBe(12);
});
