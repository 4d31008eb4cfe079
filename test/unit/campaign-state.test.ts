/**
 * The campaign workflow's pure transitions (src/workflows/campaign-state.ts): the initial carry, what is
 * charged, how a generation's results become records and are folded in, when the campaign stops and why,
 * the trial estimate, and the status a query returns. Stepping stones in depth: search-stepping-stones.test.ts.
 */
import type { Usage } from '../../src/llm/usage';
import { beatsParentBeyondNoise } from '../../src/search/acceptance';
import { createRng } from '../../src/search/rng';
import { addCandidates } from '../../src/search/state';
import type { CandidateRecord } from '../../src/search/types';
import {
  acceptedCount,
  applyRecords,
  charge,
  estimateTotalTrials,
  frontierOf,
  generationRecords,
  harnessRef,
  initialCarry,
  MAX_FLAGGED,
  pickOf,
  plannedGenerationTrials,
  seedRecord,
  statusOf,
  stopReason,
  stoneRulesOf,
} from '../../src/workflows/campaign-state';
import { LEGACY_STONE_RULES, STONE_RULES } from '../../src/search/stepping-stones';
import { harnessTamperingReason } from '../../src/workflows/tampering';
import type {
  CampaignCarry,
  CampaignPlan,
  CandidateEvaluation,
  FlaggedCandidate,
  GenerationResult,
  ProposalOutcome,
  TrialOutcome,
} from '../../src/workflows/types';

const usage = (costUsd: number, tokens = 10): Usage => ({
  inputTokens: tokens,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costUsd,
});
const task = (name: string) => ({ name, hash: `h-${name}` });

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
        concurrency: 4,
        seed: 1,
        selection: 'best',
        acceptance: { mode: 'greedy' },
        budget: {},
        hints: [],
        ...plan,
      } as CampaignPlan,
      seed: { id: 'seed', dir: '/c/harnesses/seed', complexity: 1 },
      searchAttributes: [],
    },
    1_000,
  );
}

const outcome = (t: string, repeat: number, cached: boolean, costUsd: number): TrialOutcome => ({
  trialId: `${t}-${repeat}`,
  task: t,
  repeat,
  reward: 1,
  error: null,
  usage: usage(costUsd),
  cached,
});

const record = (id: string, generation: number, meanReward: number): CandidateRecord => ({
  id,
  parentId: generation === 0 ? null : 'seed',
  generation,
  status: 'evaluated',
  verdict: '',
  rationale: '',
  taskRewards: { a: [meanReward] },
  meanReward,
  costUsd: 0,
  complexity: 1,
});

test('charge: proposals and the trials that ran are paid for; a cached trial is counted, never charged again', () => {
  const c = charge(carry(), {
    proposals: [
      {
        slot: 0,
        parentId: 'seed',
        status: 'valid',
        candidate: { id: 'x', dir: '/c/harnesses/x', complexity: 1 },
        rationale: '',
        usage: usage(0.5),
      },
    ],
    evaluations: [{ candidateId: 'x', error: null, trials: [outcome('a', 0, false, 0.25), outcome('b', 0, true, 9)] }],
  });
  expect(c.ledger).toEqual({ trials: 1, proposals: 1, costUsd: 0.75, tokens: 20 });
  expect(c.cachedTrials).toBe(1);
});

test('stopReason: a request first, then the configured limits and goals, then a budget the next generation would break', () => {
  expect(stopReason(carry(), 1_000)).toBeNull();
  expect(stopReason({ ...carry(), stopRequested: true, stopReason: 'user said so' }, 1_000)).toBe('user said so');
  expect(stopReason({ ...carry(), stopRequested: true }, 1_000)).toBe('stopped by request');

  // maxGenerations counts generations beyond the seed: after generation 3 of 3 it stops, not before.
  const three = carry({ generations: 3 });
  expect(stopReason({ ...three, search: { ...three.search, generation: 2 } }, 1_000)).toBeNull();
  expect(stopReason({ ...three, search: { ...three.search, generation: 3 } }, 1_000)).toBe('reached 3 generations');

  const timed = carry({ budget: { wallTimeMinutes: 1 } });
  expect(stopReason(timed, 1_000 + 59_999)).toBeNull();
  expect(stopReason(timed, 1_000 + 60_000)).toBe('wall time of 1 min reached');

  const target = carry({ targetScore: 0.9 });
  const reached = { ...target, search: addCandidates(target.search, [record('seed', 0, 0.5), record('c1', 1, 0.95)]) };
  expect(stopReason(reached, 1_000)).toBe('target score 0.9 reached by c1 (0.95)');

  const flat = carry({ plateauGenerations: 2 });
  const stuck = {
    ...flat,
    search: { ...addCandidates(flat.search, [record('seed', 0, 0.5), record('c1', 1, 0.6)]), generation: 3 },
  };
  expect(stopReason(stuck, 1_000)).toBe('plateau: no accepted improvement in 2 generations');

  // 10 trials spent of 20; a generation plans k 2 x 2 tasks x 2 repeats = 8 more: fine; with 13 spent it is not.
  const budget = carry({ budget: { trials: 20 } });
  expect(plannedGenerationTrials(budget)).toBe(8);
  expect(stopReason({ ...budget, ledger: { ...budget.ledger, trials: 10 } }, 1_000)).toBeNull();
  expect(stopReason({ ...budget, ledger: { ...budget.ledger, trials: 13 } }, 1_000)).toBe(
    'next generation would exceed the trial budget: 13 + 8 planned > 20',
  );
  expect(stopReason({ ...budget, ledger: { ...budget.ledger, trials: 20 } }, 1_000)).toBe('trial budget spent (20/20)');

  // Dollars are projected from the cost per trial so far: $1 for 4 trials, 8 more planned = $3 > $2.
  const usd = carry({ budget: { usd: 2 } });
  expect(stopReason({ ...usd, ledger: { trials: 4, proposals: 0, costUsd: 1, tokens: 0 } }, 1_000)).toBe(
    'next generation would exceed the dollar budget: projected $3.00 > $2',
  );
});

test('racing plans for its extra repeats; the total estimate covers baseline, generations and both holdout runs', () => {
  const racing = carry({
    evaluation: { policy: 'racing', racing: { maxExtraRepeats: 1 } } as CampaignPlan['evaluation'],
  });
  expect(plannedGenerationTrials(racing)).toBe(2 * 2 * 3);
  expect(estimateTotalTrials(carry())).toBeNull(); // no generation limit, no trial budget: unknown
  expect(estimateTotalTrials(carry({ budget: { trials: 50 } }))).toBe(50);
  // baseline 2 x 2 + 3 generations x 8 + holdout (best and seed) 2 x 1 x 3
  expect(estimateTotalTrials(carry({ generations: 3 }))).toBe(4 + 24 + 6);
});

test('statusOf: the best candidate, its holdout score, spend and counts as a query shows them', () => {
  const c = carry({ generations: 1 });
  const withBest = {
    ...c,
    search: addCandidates(c.search, [record('seed', 0, 0.5), record('c1', 1, 0.75)]),
    rejectedCount: 2,
    invalidCount: 1,
    paused: true,
    pauseReason: 'no credentials',
  };
  const s = statusOf(withBest, {
    phase: 'generation',
    waiting: null,
    holdout: [{ candidateId: 'c1', holdoutScore: 0.6 } as never],
    currentChild: 'c2',
  });
  expect(s).toMatchObject({
    name: 'demo',
    bestCandidateId: 'c1',
    bestTrainScore: 0.75,
    bestHoldoutScore: 0.6,
    paused: true,
    pauseReason: 'no credentials',
    candidates: { evaluated: 2, rejected: 2, invalid: 1 },
    currentChild: 'c2',
    trialsTotal: 4 + 8 + 6,
    flagged: [],
  });
  expect(statusOf(carry(), { phase: 'baseline', waiting: null, holdout: [], currentChild: null })).toMatchObject({
    bestCandidateId: null,
    bestTrainScore: null,
    bestHoldoutScore: null,
    pauseReason: null,
  });
});

test("initialCarry: nothing spent, the plan's budget and hints copied (not shared), the search seeded from the plan", () => {
  const plan = { budget: { usd: 5 }, hints: ['short prompts'], seed: 42 };
  const c = carry(plan);
  expect(c).toMatchObject({
    ledger: { trials: 0, proposals: 0, costUsd: 0, tokens: 0 },
    budget: { usd: 5 },
    hints: ['short prompts'],
    startedAtMs: 1_000,
    baselineDone: false,
    paused: false,
    stopRequested: false,
    stopReason: null,
    attempt: 0,
    cachedTrials: 0,
    rejectedCount: 0,
    invalidCount: 0,
    lastError: null,
    runs: 0,
  });
  expect(c.search).toMatchObject({ generation: 0, candidates: [] });
  expect(c.search.rngState).toBe(carry({ seed: 42 }).search.rngState);
  expect(c.search.rngState).not.toBe(carry({ seed: 43 }).search.rngState);
  c.hints.push('x');
  c.budget.usd = 1;
  expect(c.prepared.plan.hints).toEqual(['short prompts']);
  expect(c.prepared.plan.budget).toEqual({ usd: 5 });
});

test('harnessRef: a candidate by reference (its id), its complexity carried, no path', () => {
  expect(harnessRef(carry(), { id: 'abc', complexity: 7 })).toEqual({ id: 'abc', complexity: 7 });
});

const trial = (
  t: string,
  repeat: number,
  reward: number,
  costUsd = 0.5,
  over: Partial<TrialOutcome> = {},
): TrialOutcome => ({
  trialId: `${t}-${repeat}`,
  task: t,
  repeat,
  reward,
  error: null,
  usage: usage(costUsd, 100),
  cached: false,
  ...over,
});
const evaluation = (
  candidateId: string,
  trials: TrialOutcome[],
  over: Partial<CandidateEvaluation> = {},
): CandidateEvaluation => ({ candidateId, trials, error: null, ...over });

test('seedRecord: the baseline as generation 0 — per-task rewards, mean, what it cost in all and per task run', () => {
  const rec = seedRecord(
    carry(),
    evaluation('seed', [trial('a', 0, 1), trial('a', 1, 0), trial('b', 0, 1), trial('b', 1, 1)]),
  );
  expect(rec).toMatchObject({
    id: 'seed',
    parentId: null,
    generation: 0,
    status: 'evaluated',
    taskRewards: { a: [1, 0], b: [1, 1] },
    complexity: 1,
    costPerTask: 0.5,
    tokensPerTask: 100, // what one run of a task costs, averaged over tasks
  });
  expect(rec.meanReward).toBeCloseTo(0.75);
  expect(rec.costUsd).toBeCloseTo(2);
});

/** A carry whose search holds the seed, accepted with the given rewards (greedy acceptance, as `carry()` plans). */
function seeded(rewards: number[]): CampaignCarry {
  const c = carry();
  const seedEval = evaluation(
    'seed',
    rewards.flatMap((r, i) => [trial(i === 0 ? 'a' : 'b', 0, r), trial(i === 0 ? 'a' : 'b', 1, r)]),
  );
  return applyRecords({ ...c, baselineDone: true }, 0, [seedRecord(c, seedEval)], c.search.rngState);
}
const valid = (slot: number, id: string, costUsd = 0.1): ProposalOutcome => ({
  slot,
  parentId: 'seed',
  status: 'valid',
  candidate: { id, dir: `/c/harnesses/${id}`, complexity: 2 },
  rationale: `why ${id}`,
  usage: usage(costUsd),
});
const allTasks = (reward: number, over: Partial<TrialOutcome> = {}) => [
  trial('a', 0, reward, 0.5, over),
  trial('a', 1, reward),
  trial('b', 0, reward),
  trial('b', 1, reward),
];

test('generationRecords: every proposal becomes a record — invalid, duplicate, broken, better, worse, tampered', () => {
  const c = seeded([0, 0]);
  const result: GenerationResult = {
    proposals: [
      {
        slot: 0,
        parentId: 'seed',
        status: 'invalid',
        error: 'harness.yaml: model: required',
        rationale: 'r0',
        usage: usage(0.2),
      },
      valid(1, 'better'),
      valid(2, 'better'),
      valid(3, 'worse'),
      valid(4, 'broken'),
      valid(5, 'cheat'),
    ],
    evaluations: [
      evaluation('better', allTasks(1)),
      evaluation('worse', allTasks(0)),
      evaluation('broken', [], { error: 'tool schema is invalid' }),
      evaluation('cheat', allTasks(1, { tampering: 'wrote /tests/test.sh' })),
    ],
    failure: null,
  };
  const { records } = generationRecords(c, 1, result);
  const by = (id: string) => records.find((r) => r.id === id);
  expect(records.map((r) => [r.id, r.status])).toEqual([
    ['invalid/1/0', 'invalid'],
    ['better', 'evaluated'],
    ['duplicate/1/2', 'invalid'],
    ['worse', 'rejected'],
    ['broken', 'invalid'],
    ['cheat', 'rejected'],
  ]);
  expect(by('invalid/1/0')).toMatchObject({
    parentId: 'seed',
    generation: 1,
    verdict: 'harness.yaml: model: required',
    rationale: 'r0',
    costUsd: 0.2,
    meanReward: 0,
  });
  expect(by('duplicate/1/2')?.verdict).toMatch(/same harness as sibling candidate better/);
  expect(by('better')).toMatchObject({
    parentId: 'seed',
    meanReward: 1,
    taskRewards: { a: [1, 1], b: [1, 1] },
    rationale: 'why better',
    complexity: 2,
  });
  expect(by('better')?.costUsd).toBeCloseTo(0.1 + 4 * 0.5); // the proposal plus its trials
  expect(by('broken')?.verdict).toBe('broken harness: tool schema is invalid');
  expect(by('cheat')?.verdict).toMatch(
    /^reward tampering in 1 passing trial\(s\), rejected; first a #0 \(a-0\): wrote \/tests\/test.sh/,
  );
});

test("generationRecords: a policy's early reject is final whatever the scores say", () => {
  const c = seeded([0, 0]);
  const result: GenerationResult = {
    proposals: [valid(0, 'lucky')],
    evaluations: [
      evaluation('lucky', allTasks(1), {
        decision: { accepted: false, reason: 'minibatch: screen failed' },
        cancelled: { started: 1, unstarted: 2 },
      }),
    ],
    failure: null,
  };
  const [rec] = generationRecords(c, 1, result).records;
  expect(rec).toMatchObject({ id: 'lucky', status: 'rejected' });
  expect(rec?.verdict).toMatch(/minibatch: screen failed; 3 trials not needed \(1 cancelled, 2 never started\)/);
});

test('applyRecords: accepted records are carried, others counted; flagged verdicts kept, newest MAX_FLAGGED', () => {
  const c = seeded([0, 0]);
  const rec = (id: string, status: CandidateRecord['status'], verdict = '') => ({
    ...record(id, 1, status === 'evaluated' ? 1 : 0),
    status,
    verdict,
  });
  const next = applyRecords(
    c,
    1,
    [
      rec('good', 'evaluated'),
      rec('bad', 'rejected'),
      rec('inv', 'invalid'),
      rec('cheat', 'rejected', 'reward tampering in x'),
    ],
    99,
  );
  expect(next.search.candidates.map((x) => x.id).sort()).toEqual(['good', 'seed']);
  expect(next.search).toMatchObject({ generation: 1, rngState: 99 });
  expect(next).toMatchObject({
    rejectedCount: 2,
    invalidCount: 1,
    flagged: [{ candidateId: 'cheat', generation: 1, reason: 'reward tampering in x' }],
  });
  expect(acceptedCount(next)).toBe(2);

  const many = Array.from({ length: MAX_FLAGGED + 5 }, (_, i) => rec(`t${i}`, 'rejected', `reward tampering ${i}`));
  const capped = applyRecords(next, 2, many, 100);
  expect(capped.flagged).toHaveLength(MAX_FLAGGED);
  expect(capped.flagged?.at(-1)?.candidateId).toBe(`t${MAX_FLAGGED + 4}`);
  expect(capped.rejectedCount).toBe(2 + MAX_FLAGGED + 5);
});

test("acceptedCount counts accepted candidates only; frontierOf is the search's frontier", () => {
  const c = seeded([0, 1]);
  const stone = { ...record('stone', 1, 0.4), status: 'rejected' as const, anchorId: 'seed' };
  const withStone = { ...c, search: addCandidates(c.search, [stone, record('top', 1, 0.9)]) };
  expect(acceptedCount(withStone)).toBe(2);
  expect(frontierOf(withStone).map((x) => x.id)).toContain('top');
  expect(frontierOf(withStone).map((x) => x.id)).not.toContain('stone');
});

test('the final pick (pickOf, statusOf) may be a stone under the carried rules; a carry from before them never picks one', () => {
  const c = seeded([0, 1]);
  expect(stoneRulesOf(c)).toEqual(STONE_RULES);
  const stone = { ...record('stone', 1, 0.9), status: 'rejected' as const, anchorId: 'seed' };
  const withStone = { ...c, search: addCandidates(c.search, [stone]) };
  const extras = { phase: 'generation' as const, waiting: null, holdout: [], currentChild: null };
  expect(pickOf(withStone)?.id).toBe('stone');
  expect(statusOf(withStone, extras)).toMatchObject({ bestCandidateId: 'stone', bestTrainScore: 0.9 });
  // A carry recorded before stone rules were carried (no field) runs under the legacy ones: accepted only.
  const { stoneRules: _dropped, ...old } = withStone;
  expect(stoneRulesOf(old)).toEqual(LEGACY_STONE_RULES);
  expect(pickOf(old)?.id).toBe('seed');
  expect(statusOf(old, extras)).toMatchObject({ bestCandidateId: 'seed' });
  expect(pickOf({ ...withStone, stoneRules: LEGACY_STONE_RULES })?.id).toBe('seed');
});

// ---- Closer looks at the same transitions: exact records, lineage, the rng, stones and the flagged list. ----

const generation = (proposals: ProposalOutcome[], evaluations: CandidateEvaluation[]): GenerationResult => ({
  proposals,
  evaluations,
  failure: null,
});
const invalidProposal = (slot: number, error: string, costUsd: number, over: Partial<ProposalOutcome> = {}) =>
  ({
    slot,
    parentId: 'seed',
    status: 'invalid',
    error,
    rationale: `r${slot}`,
    usage: usage(costUsd),
    ...over,
  }) as ProposalOutcome;

describe('initialCarry, exactly', () => {
  test("the search state is the initial one: the plan's seed as a uint32, a cost-aware objective, nothing flagged", () => {
    const objective = { score: 1, costUsd: -2 };
    const c = carry({ seed: 42, objective });
    expect(c.search).toEqual({ candidates: [], frontierIds: [], generation: 0, rngState: 42, objective });
    expect(c.flagged).toBeUndefined();
    expect(c.pauseReason).toBeUndefined();
    // A score-only objective is not carried (the state is what it was before objectives); -1 >>> 0 is 2^32 - 1.
    expect(carry({ seed: -1, objective: { score: 1, costUsd: 0 } }).search).toEqual({
      candidates: [],
      frontierIds: [],
      generation: 0,
      rngState: 4294967295,
    });
  });

  test("changing the plan's budget or hints afterwards leaves the carry's copies alone", () => {
    const c = carry({ budget: { usd: 5, trials: 100 }, hints: ['short prompts'] });
    expect(c.budget).not.toBe(c.prepared.plan.budget);
    expect(c.hints).not.toBe(c.prepared.plan.hints);
    c.prepared.plan.budget.usd = 99;
    delete c.prepared.plan.budget.trials;
    c.prepared.plan.hints.push('another');
    expect(c.budget).toEqual({ usd: 5, trials: 100 });
    expect(c.hints).toEqual(['short prompts']);
  });
});

test('seedRecord: rewards ordered by repeat, cached trials at what they cost, cost and tokens averaged per task', () => {
  const trials = [
    trial('b', 1, 1, 0.5, { cached: true, usage: usage(0.5, 40) }),
    trial('a', 1, 0, 0.375, { usage: usage(0.375, 30) }),
    trial('b', 0, 0.5, 0.25, { usage: usage(0.25, 20) }),
    trial('a', 0, 1, 0.125, { usage: usage(0.125, 10) }),
  ];
  expect(seedRecord(carry(), evaluation('seed', trials))).toEqual({
    id: 'seed',
    parentId: null,
    generation: 0,
    status: 'evaluated',
    verdict: 'seed harness (baseline)',
    rationale: '',
    taskRewards: { a: [1, 0], b: [0.5, 1] },
    meanReward: 0.625,
    costUsd: 1.25,
    complexity: 1,
    costPerTask: (0.25 + 0.375) / 2, // a: (0.125 + 0.375) / 2, b: (0.25 + 0.5) / 2
    tokensPerTask: (20 + 30) / 2,
  });
});

describe('generationRecords, exactly', () => {
  test("an invalid proposal's record: no scores, its proposal's cost, a merge's second parent kept", () => {
    const { records } = generationRecords(
      seeded([0.5, 0.5]),
      2,
      generation(
        [
          invalidProposal(3, 'diff does not apply', 0.25),
          invalidProposal(4, 'meta-agent failed', 0.125, { secondParentId: 'other' }),
        ],
        [],
      ),
    );
    expect(records).toEqual([
      {
        id: 'invalid/2/3',
        parentId: 'seed',
        generation: 2,
        status: 'invalid',
        verdict: 'diff does not apply',
        rationale: 'r3',
        taskRewards: {},
        meanReward: 0,
        costUsd: 0.25,
        complexity: 0,
      },
      {
        id: 'invalid/2/4',
        parentId: 'seed',
        generation: 2,
        status: 'invalid',
        verdict: 'meta-agent failed',
        rationale: 'r4',
        taskRewards: {},
        meanReward: 0,
        costUsd: 0.125,
        complexity: 0,
        secondParentId: 'other',
      },
    ]);
  });

  test('a valid proposal without an evaluation (a harness the campaign already knows) makes no record', () => {
    expect(generationRecords(seeded([0.5, 0.5]), 1, generation([valid(0, 'known')], [])).records).toEqual([]);
  });

  test('a duplicate is charged its own proposal only; the harness it repeats keeps its proposal and trials', () => {
    const { records } = generationRecords(
      seeded([0.5, 0.5]),
      1,
      generation([valid(0, 'x', 0.25), valid(1, 'x', 0.125)], [evaluation('x', allTasks(1))]),
    );
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['x', 'evaluated'],
      ['duplicate/1/1', 'invalid'],
    ]);
    expect(records[0]?.costUsd).toBe(0.25 + 4 * 0.5);
    expect(records[1]).toEqual({
      id: 'duplicate/1/1',
      parentId: 'seed',
      generation: 1,
      status: 'invalid',
      verdict: 'duplicate: the same harness as sibling candidate x (evaluated once)',
      rationale: 'why x',
      taskRewards: {},
      meanReward: 0,
      costUsd: 0.125,
      complexity: 0,
    });
  });

  test('a broken harness: no scores, charged its proposal and the trials that ran, its diff and complexity kept', () => {
    const p = { ...valid(0, 'x', 0.25), diffHash: 'd1' } as ProposalOutcome;
    const { records } = generationRecords(
      seeded([0.5, 0.5]),
      1,
      generation([p], [evaluation('x', [trial('a', 0, 1, 0.5)], { error: 'exit code 2' })]),
    );
    expect(records).toEqual([
      {
        id: 'x',
        parentId: 'seed',
        generation: 1,
        rationale: 'why x',
        complexity: 2,
        diffHash: 'd1',
        status: 'invalid',
        verdict: 'broken harness: exit code 2',
        taskRewards: {},
        meanReward: 0,
        costUsd: 0.75,
      },
    ]);
  });

  test('greedy: the better child accepted with its improvement, the worse rejected by how much (no stone)', () => {
    const up = { ...valid(0, 'up', 0.25), diffHash: 'd-up', secondParentId: 'other' } as ProposalOutcome;
    const cheap = { usage: usage(0.25, 10) };
    const { records } = generationRecords(
      seeded([0.5, 0.5]),
      1,
      generation(
        [up, valid(1, 'down', 0.125)],
        [
          evaluation('up', [
            trial('a', 0, 1, 0.25, cheap),
            trial('a', 1, 1, 0.25, cheap),
            trial('b', 0, 0.5, 0.125),
            trial('b', 1, 1, 0.125),
          ]),
          evaluation('down', allTasks(0.25)),
        ],
      ),
    );
    expect(records[0]).toEqual({
      id: 'up',
      parentId: 'seed',
      secondParentId: 'other',
      generation: 1,
      rationale: 'why up',
      complexity: 2,
      diffHash: 'd-up',
      status: 'evaluated',
      verdict: 'improvement 0.375', // a: +0.5, b: +0.25
      taskRewards: { a: [1, 1], b: [0.5, 1] },
      meanReward: 0.875,
      costUsd: 0.25 + 0.75,
      costPerTask: (0.25 + 0.125) / 2,
      tokensPerTask: (10 + 100) / 2,
    });
    expect(records[1]).toMatchObject({
      id: 'down',
      status: 'rejected',
      verdict: 'worse than parent by 0.25',
      meanReward: 0.25,
      costUsd: 0.125 + 4 * 0.5,
    });
    expect(records[1]).not.toHaveProperty('anchorId');
  });

  test('a tampering flag rejects the child even when the policy accepted it early; the verdict counts the flagged trials', () => {
    const flagged = { tampering: 'rewrote the verifier' };
    const trials = [trial('a', 0, 1), trial('a', 1, 1, 0.5, flagged), trial('b', 0, 1, 0.5, flagged), trial('b', 1, 1)];
    const { records } = generationRecords(
      seeded([0, 0]),
      1,
      generation(
        [valid(0, 't')],
        [evaluation('t', trials, { decision: { accepted: true, reason: 'racing: better' } })],
      ),
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id: 't',
      status: 'rejected',
      verdict: 'reward tampering in 2 passing trial(s), rejected; first a #1 (a-1): rewrote the verifier',
      meanReward: 1,
    });
    expect(records[0]).not.toHaveProperty('anchorId');
  });

  test('greedy acceptance draws nothing from the rng: its state comes back as carried', () => {
    const c = seeded([0.5, 0.5]);
    const { rngState } = generationRecords(
      { ...c, search: { ...c.search, rngState: 12345 } },
      1,
      generation([valid(0, 'up'), valid(1, 'down')], [evaluation('up', allTasks(1)), evaluation('down', allTasks(0))]),
    );
    expect(rngState).toBe(12345);
  });

  test('a sampled paired test draws from the carried rng and returns the advanced state; replays are identical', () => {
    const acceptance = { mode: 'paired-test' as const, alpha: 0.1, minDelta: 0.05, test: 'task-means' as const };
    // 20 tasks with non-zero differences: beyond exact sign-flip enumeration (16), so the test samples.
    const names = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const base = carry({ seed: 99, acceptance });
    const parent: CandidateRecord = {
      ...record('seed', 0, 0.5),
      taskRewards: Object.fromEntries(names.map((t) => [t, [0.5]])),
    };
    const c = { ...base, search: addCandidates(base.search, [parent]) };
    const child = (sign: number) => names.map((t, i) => trial(t, 0, 0.5 + (sign * (i + 1)) / 100));
    const result = generation(
      [valid(0, 'p'), valid(1, 'q'), valid(2, 'r')],
      [evaluation('p', child(1)), evaluation('q', child(-1)), evaluation('r', child(1).reverse())],
    );
    const { records, rngState } = generationRecords(c, 1, result);
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['p', 'evaluated'],
      ['q', 'rejected'],
      ['r', 'evaluated'],
    ]);
    expect(records[0]?.verdict).toMatch(/task-means p=/);
    // The same draws by hand, in order: p's test, then r's (q is worse: decided without the rng).
    const rng = createRng(99);
    const rule = beatsParentBeyondNoise({ alpha: 0.1, minDelta: 0.05, test: 'task-means' });
    rule.decide(records[0] as CandidateRecord, parent, rng);
    const afterOne = rng.state;
    rule.decide(records[2] as CandidateRecord, parent, rng);
    expect(afterOne).not.toBe(99);
    expect(rngState).not.toBe(afterOne);
    expect(rngState).toBe(rng.state);
    expect(c.search.rngState).toBe(99); // the carry is not touched
    expect(generationRecords(c, 1, result)).toEqual({ records, rngState });
  });
});

test('generationRecords keeps a tie as a stone under the carried rules, not under the legacy ones', () => {
  const acceptance = { mode: 'paired-test' as const, alpha: 0.1, minDelta: 0.05, test: 'task-means' as const };
  const base = seeded([0.5, 0.5]);
  const c = { ...base, prepared: { ...base.prepared, plan: { ...base.prepared.plan, acceptance } } };
  const result = generation([valid(0, 'tie')], [evaluation('tie', allTasks(0.5))]);
  const [now] = generationRecords(c, 1, result).records;
  expect(now).toMatchObject({ status: 'rejected', anchorId: 'seed', verdict: expect.stringMatching(/within 0.05/) });
  const [legacy] = generationRecords({ ...c, stoneRules: LEGACY_STONE_RULES }, 1, result).records;
  expect(legacy?.status).toBe('rejected');
  expect(legacy?.anchorId).toBeUndefined();
});

describe('applyRecords, exactly', () => {
  const rec = (id: string, over: Partial<CandidateRecord> = {}): CandidateRecord => ({
    ...record(id, 1, 0.25),
    ...over,
  });
  const tampered = 'reward tampering in 1 passing trial(s), rejected; first a #0 (a-0): edited the tests';

  test('a stepping stone (anchorId) is carried but never accepted or on the frontier; counts add to earlier ones', () => {
    const c = { ...seeded([0.5, 0.5]), rejectedCount: 2, invalidCount: 1 };
    const records = [
      rec('x', { taskRewards: { a: [0.75], b: [0.75] }, meanReward: 0.75 }),
      rec('r', { status: 'rejected', verdict: 'worse than parent by 0.25' }),
      rec('s', { status: 'rejected', anchorId: 'seed', taskRewards: { a: [1], b: [1] }, meanReward: 1 }),
      rec('invalid/1/3', { status: 'invalid', verdict: 'diff does not apply', taskRewards: {}, meanReward: 0 }),
    ];
    const next = applyRecords(c, 1, records, 4242);
    expect(next.search.candidates.map((r) => r.id)).toEqual(['seed', 'x', 's']);
    expect(next.search.candidates.find((r) => r.id === 's')?.anchorId).toBe('seed');
    expect(next.search.frontierIds).toEqual(['x']);
    expect(next.search).toMatchObject({ generation: 1, rngState: 4242 });
    expect(next).toMatchObject({ rejectedCount: 2 + 2, invalidCount: 1 + 1 });
    expect(next.flagged).toBeUndefined(); // nothing flagged: no field appears
    expect(acceptedCount(next)).toBe(2);
    expect(c.search.candidates.map((r) => r.id)).toEqual(['seed']); // pure: the old carry is unchanged
    expect(c.search.generation).toBe(0);
  });

  test("flags the trial screen's and the harness screen's verdicts after the earlier ones; never carries them", () => {
    const before: FlaggedCandidate = { candidateId: 'old', generation: 1, reason: tampered };
    const harness = harnessTamperingReason('writes to /logs/verifier');
    const next = applyRecords(
      { ...seeded([0.5, 0.5]), flagged: [before] },
      2,
      [
        rec('t', { generation: 2, status: 'rejected', verdict: tampered }),
        rec('invalid/2/1', { generation: 2, status: 'invalid', verdict: harness, taskRewards: {}, meanReward: 0 }),
        rec('w', { generation: 2, status: 'rejected', verdict: 'worse than parent by 0.25' }),
      ],
      1,
    );
    expect(next.flagged).toEqual([
      before,
      { candidateId: 't', generation: 2, reason: tampered },
      { candidateId: 'invalid/2/1', generation: 2, reason: harness },
    ]);
    expect(next.search.candidates.map((r) => r.id)).toEqual(['seed']);
    // Nothing newly flagged: what was flagged stays as it was.
    expect(applyRecords(next, 3, [rec('y', { generation: 3 })], 1).flagged).toEqual(next.flagged);
  });

  test('at MAX_FLAGGED the oldest flagged go first, the newest are kept in order', () => {
    const old: FlaggedCandidate[] = Array.from({ length: MAX_FLAGGED }, (_, i) => ({
      candidateId: `old${i}`,
      generation: 1,
      reason: tampered,
    }));
    const c = { ...seeded([0.5, 0.5]), flagged: old };
    const fresh = ['n0', 'n1', 'n2'].map((id) => rec(id, { generation: 2, status: 'rejected', verdict: tampered }));
    const next = applyRecords(c, 2, fresh, 1);
    expect(next.flagged?.map((f) => f.candidateId)).toEqual([
      ...old.slice(3).map((f) => f.candidateId),
      'n0',
      'n1',
      'n2',
    ]);
    expect(c.flagged.map((f) => f.candidateId)).toEqual(old.map((f) => f.candidateId)); // not mutated
  });
});

test('acceptedCount: none before the seed; invalid and rejected records (stones too) are not counted', () => {
  expect(acceptedCount(carry())).toBe(0);
  const c = carry();
  const records = [
    record('seed', 0, 0.5),
    record('x', 1, 0.75),
    { ...record('s', 1, 0.9), status: 'rejected' as const, anchorId: 'seed' },
    { ...record('r', 1, 0.1), status: 'rejected' as const },
    { ...record('i', 1, 0), status: 'invalid' as const },
  ];
  expect(acceptedCount({ ...c, search: { ...c.search, candidates: records } })).toBe(2);
});

test('frontierOf: the non-dominated accepted records themselves, best first; none before the seed', () => {
  expect(frontierOf(carry())).toEqual([]);
  const c = carry();
  const p: CandidateRecord = { ...record('p', 1, 0.5), taskRewards: { a: [1], b: [0] } };
  const q: CandidateRecord = { ...record('q', 2, 0.5), taskRewards: { a: [0], b: [1] } };
  const dominated: CandidateRecord = { ...record('d', 1, 0.25), taskRewards: { a: [0.5], b: [0] } };
  const stone: CandidateRecord = {
    ...record('s', 2, 1),
    taskRewards: { a: [1], b: [1] },
    status: 'rejected',
    anchorId: 'p',
  };
  const withAll = { ...c, search: addCandidates(c.search, [dominated, q, p, stone]) };
  expect(frontierOf(withAll)).toEqual([p, q]); // equal means: the older (generation 1) first
});
