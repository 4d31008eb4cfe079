/**
 * Cost-aware choice, duplicates and merges through whole campaigns on a real Temporal dev server (the real
 * proposeCandidate / runTrial / store activities; fake trial runners whose rewards and prices follow the
 * harness text):
 * - `objective: { score: 1, costUsd: -λ }`: a child that solves more at a price is accepted (acceptance is
 *   about rewards), but the cheap seed stays on the frontier and is the final pick, evaluated on holdout;
 *   the same campaign scored by `score` picks the child;
 * - a harness identical to a known candidate is never evaluated twice: a sibling duplicate runs once, a
 *   proposal equal to a candidate of an earlier generation runs no trial, both recorded with the reason;
 * - `merge: { every: 1 }`: once two frontier candidates win on different tasks, the generation's last slot is
 *   a merge — the real meta-agent (real SDK against the local fake Messages API, in its Docker sandbox) gets
 *   both harnesses and both diffs, combines them, and the child is stored with both parents (store, experiment
 *   log, report). Each ordinary proposal starts from a different lever.
 * RECORD_HISTORIES=1 writes the merge campaign's history to test/fixtures/histories (replayed by replay.test.ts).
 * Fails (never skips) without Docker or TEMPORAL_CLI_PATH.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Proposer, TrialRunner } from '../../src/activities/ports';
import { createAnthropicClient } from '../../src/llm/client';
import { metaTask } from '../../src/meta/assets';
import { readExperiments } from '../../src/meta/campaign-context';
import { renderExperimentsMarkdown } from '../../src/meta/experiment-log';
import { createMetaProposer } from '../../src/activities/meta-proposer';
import { extractReportData, readSnapshot } from '../../src/report/data';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { openStore } from '../../src/store/store';
import { startOrAttachCampaign } from '../../src/temporal/client';
import type { CampaignSummary, GenerationResult } from '../../src/workflows/types';
import { requireDocker } from '../e2e/support/inspect';
import {
  startFakeAnthropic,
  text,
  toolUse,
  turnOf,
  type FakeAnthropic,
  type FakeReply,
  type RecordedRequest,
} from '../support/fake-anthropic';
import { fakeProposer, fakeTrialResult, rewardFor, testPlan, writeSeedHarness } from './support/fakes';
import { startServer, startWorkers, tmpRoot } from './support/env';

jest.setTimeout(600_000);
const HISTORIES = path.join(__dirname, '..', 'fixtures', 'histories');

/** Rewards as in the shared fakes, plus ALPHA solving b and BETA solving c; PRICEY costs $1 a trial, others $0.01. */
const runs = new Map<string, number>();
const trials: TrialRunner = async (req) => {
  runs.set(req.outDir, (runs.get(req.outDir) ?? 0) + 1);
  const sys = req.harness.systemTemplate;
  const extra = (req.task.name === 'b' && sys.includes('ALPHA')) || (req.task.name === 'c' && sys.includes('BETA'));
  const reward = extra ? 1 : rewardFor(req.harness, req.task.name);
  const result = fakeTrialResult(req, reward);
  return sys.includes('PRICEY') ? { ...result, usage: { ...result.usage, costUsd: 1 } } : result;
};
const trialsRunIn = (campaignDir: string): number => runs.get(path.join(campaignDir, 'trials')) ?? 0;

// --- the scripted meta-agent (its model behind the fake Messages API) -------------------------------------
const META_MARK = 'You are an expert agent engineer';
const instructionOf = (req: RecordedRequest): string => JSON.stringify((req.body as { system?: unknown }).system ?? '');
const isMeta = (req: RecordedRequest): boolean => instructionOf(req).includes(META_MARK);
const append = (line: string): string =>
  `printf '\\n%s\\n' '${line}' >> /workspace/harness/system.md && tail -n 1 /workspace/harness/system.md`;
// A merge brings over what the other harness added since the common ancestor (its diff's added lines).
const APPLY_OTHER =
  "grep '^+[^+]' /workspace/merge/other.diff | cut -c2- >> /workspace/harness/system.md && cat /workspace/harness/system.md";

function metaModel(req: RecordedRequest): FakeReply {
  const sys = instructionOf(req);
  const gp = /Generation (\d+), proposal (\d+)/.exec(sys);
  if (!isMeta(req) || !gp) return { error: 'bad_request', message: 'test model: not a meta-agent request' };
  const merging = sys.includes('This is a MERGE proposal');
  const edit = merging
    ? APPLY_OTHER
    : append(gp[1] === '1' ? (gp[2] === '0' ? 'Use ALPHA.' : 'Use BETA.') : 'Use GAMMA.');
  const steps: FakeReply[] = [
    { content: [text(merging ? 'Merging the other harness in.' : 'Editing.'), toolUse('bash', { command: edit })] },
    { content: [toolUse('validate_harness', {})] },
    {
      content: [
        toolUse('finish', {
          summary: merging ? 'merged the other harness into the parent' : `edit g${gp[1]} p${gp[2]}`,
        }),
      ],
    },
  ];
  return steps[turnOf(req)] ?? { error: 'bad_request', message: 'test model: meta script exhausted' };
}

let env: TestWorkflowEnvironment;
let root: string;
let api: FakeAnthropic;
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  await requireDocker();
  await new DockerSandboxProvider().ensureImage(metaTask()); // built here, never inside a timed test
  api = await startFakeAnthropic(metaModel);
  env = await startServer({ searchAttributes: false });
  root = await tmpRoot();
  await writeSeedHarness(path.join(root, 'seed'));
  const realMeta = createMetaProposer({
    llm: createAnthropicClient({ apiKey: 'test-meta-key', baseURL: api.url, maxRetries: 0 }),
  });
  const byCampaign: Record<string, Proposer> = {
    priced: fakeProposer(['GOOD PRICEY', 'BAD']).propose,
    scored: fakeProposer(['GOOD PRICEY', 'BAD']).propose,
    dup: fakeProposer(['GOOD', 'GOOD']).propose,
    merge: realMeta,
  };
  const propose: Proposer = (input) => (byCampaign[input.campaign] as Proposer)(input);
  stopWorkers = (await startWorkers(env, { runTrial: trials, propose })).stop;
}, 600_000);

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
  await api?.close();
});

async function run(plan: ReturnType<typeof testPlan>): Promise<CampaignSummary> {
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  return handle.result();
}

test('a cost-aware objective keeps the cheap seed on the frontier and makes it the final pick', async () => {
  const over = { proposalsPerGeneration: 2, generations: 1 };
  const priced = testPlan(root, 'priced', { ...over, objective: { score: 1, costUsd: -1 } });
  const scored = testPlan(root, 'scored', over);
  const [p, s] = [await run(priced), await run(scored)];

  const store = await openStore(priced.campaignDir);
  const seed = (await store.listCandidates(priced.name)).find((c) => c.generation === 0);
  const pricey = (await store.listCandidates(priced.name)).find((c) => c.rationale === 'add GOOD PRICEY');
  await store.close();
  // Accepted on rewards (b: 0 → 1) whatever it costs: acceptance is a paired test on rewards only.
  expect(pricey?.status).toBe('evaluated');
  // score 2/3 at $1 a task: utility −0.33; the seed 1/3 at $0.01: 0.32. Both stay on the frontier.
  expect(p.frontier.map((c) => c.id).sort()).toEqual([seed?.id, pricey?.id].sort());
  expect(p.frontier.find((c) => c.id === pricey?.id)?.costPerTask).toBeCloseTo(1);
  expect(p.best?.candidateId).toBe(seed?.id);
  expect(p.best?.holdoutScore).toBe(0.5); // the seed solves h1 of h1, h2: the pick is what holdout evaluated
  // Scored by score alone, the same search picks the child (and the frontier drops the dominated seed).
  expect(s.best?.candidateId).toBe(pricey?.id);
  expect(s.frontier.map((c) => c.id)).toEqual([pricey?.id]);
  expect(s.best?.holdoutScore).toBe(1);
});

test('a harness identical to a known candidate is never evaluated twice', async () => {
  // Both slots make the same edit: siblings duplicate each other, and generation 3 repeats generation 2.
  const plan = testPlan(root, 'dup', { proposalsPerGeneration: 2, generations: 3 });
  const summary = await run(plan);
  const store = await openStore(plan.campaignDir);
  const cands = await store.listCandidates(plan.name);
  // [status, verdict] per generation, sorted (records of one generation may share a timestamp).
  const byGen = (g: number) =>
    cands
      .filter((c) => c.generation === g)
      .map((c) => [c.status, c.verdict.replace(/h-[0-9a-f]{16}/g, 'H')])
      .sort();
  const sibling = ['invalid', 'duplicate: the same harness as sibling candidate H (evaluated once)'];
  expect(byGen(1)).toEqual([['evaluated', expect.stringMatching(/^improvement 0.333 over 3 tasks/)], sibling]);
  // The tie is no better than its parent, but within STONE_RULES' tolerance: a stepping stone, still rejected.
  expect(byGen(2)).toEqual([
    sibling,
    [
      'rejected',
      'ties parent and is not simpler; kept as a stepping stone (within 0.05 of its parent; its children must beat H)',
    ],
  ]);
  // Generation 3 proposes the harness generation 2 rejected: both proposals say so, and nothing runs.
  expect(byGen(3)).toEqual([
    ['invalid', 'duplicate of candidate H (generation 2, rejected): not evaluated again'],
    ['invalid', 'duplicate of candidate H (generation 2, rejected): not evaluated again'],
  ]);
  const gen3 = (await env.client.workflow.getHandle('campaign/dup/gen-3').result()) as GenerationResult;
  expect(gen3.evaluations).toEqual([]);
  // baseline 6 + gen 1 one child × 6 + gen 2 one child × 6 + holdout (best + seed) × 2 tasks: every trial once.
  const stored = await store.listTrials(plan.name);
  expect(stored).toHaveLength(6 + 6 + 6 + 4);
  expect(trialsRunIn(plan.campaignDir)).toBe(stored.length);
  expect(summary.ledger.trials).toBe(stored.length);
  expect(summary.ledger.proposals).toBe(6); // every proposal charged, duplicates included
  expect(
    (await store.listProposals(plan.name)).filter((p) => p.error?.startsWith('duplicate of candidate')),
  ).toHaveLength(2);
  await store.close();
});

test('merge: two frontier candidates that win on different tasks are combined, and the child has both parents', async () => {
  const plan = testPlan(root, 'merge', {
    proposalsPerGeneration: 2,
    generations: 2,
    merge: { every: 1 },
    meta: { programPath: null, model: 'claude-sonnet-4-6' },
  });
  const before = api.requests.length;
  const summary = await run(plan);
  const metaRequests = api.requests.slice(before).filter(isMeta);
  const firstTurns = metaRequests.filter((r) => turnOf(r) === 0).map(instructionOf);

  const store = await openStore(plan.campaignDir);
  const cands = await store.listCandidates(plan.name);
  const alpha = cands.find((c) => c.rationale === 'edit g1 p0');
  const beta = cands.find((c) => c.rationale === 'edit g1 p1');
  const merged = cands.find((c) => c.rationale === 'merged the other harness into the parent');
  const gamma = cands.find((c) => c.rationale === 'edit g2 p0');
  // Generation 1 (only the seed on the frontier: nothing to merge): ALPHA solves b, BETA solves c; both accepted.
  expect([alpha?.status, beta?.status]).toEqual(['evaluated', 'evaluated']);
  // The two ordinary proposals of generation 1 started from different levers.
  const levers = firstTurns
    .filter((t) => t.includes('Generation 1,'))
    .map((t) => /Lever to try first: the (\w+)/.exec(t)?.[1]);
  expect(levers).toHaveLength(2);
  expect(new Set(levers).size).toBe(2);

  // Generation 2: slot 0 an ordinary edit from the best (BETA: same score, smaller), slot 1 the merge.
  const mergeTurn = firstTurns.find((t) => t.includes('This is a MERGE proposal'));
  expect(mergeTurn).toContain('Generation 2, proposal 1. Merge into the parent harness');
  expect(mergeTurn).toContain(`${beta?.id} (mean train score 0.667)`);
  expect(mergeTurn).toContain(`The other frontier harness ${alpha?.id} is in /workspace/merge/other-harness/`);
  expect(mergeTurn).toContain('- the parent scores higher on: c;');
  expect(mergeTurn).toContain(`- ${alpha?.id} scores higher on: b.`);
  expect(mergeTurn).toContain(`their common ancestor ${summary.seed?.candidateId}`);
  expect(firstTurns.filter((t) => t.includes('This is a MERGE proposal'))).toHaveLength(1);

  expect(merged).toMatchObject({
    generation: 2,
    parentId: beta?.id,
    secondParentId: alpha?.id,
    status: 'evaluated',
    meanReward: 1,
  });
  expect(gamma?.status).toBe('rejected');
  expect(summary.best?.candidateId).toBe(merged?.id);
  const harness = (await store.getHarness(merged?.harnessHash as string))['system.md'] ?? '';
  expect(harness).toContain('Use ALPHA.');
  expect(harness).toContain('Use BETA.');

  // The lineage everywhere: the experiment log the next meta-agent reads, and the report.
  const log = renderExperimentsMarkdown(await readExperiments(store, plan.name, ['h1', 'h2']));
  expect(log).toContain(`## ${merged?.id} (generation 2, merge of ${beta?.id} and ${alpha?.id})`);
  const report = extractReportData(await readSnapshot(store, plan.name), { now: new Date() });
  expect(report.candidates.find((c) => c.id === merged?.id)).toMatchObject({
    parentId: beta?.id,
    secondParentId: alpha?.id,
  });
  await store.close();

  if (process.env.RECORD_HISTORIES === '1') {
    for (const id of ['campaign/merge', 'campaign/merge/gen-2']) {
      const history = await env.client.workflow.getHandle(id).fetchHistory();
      await writeFile(
        path.join(HISTORIES, `merge--${id.replace(/[^a-z0-9-]+/gi, '_')}.json`),
        JSON.stringify({ workflowId: id, history: JSON.parse(historyToJSON(history)) }, null, 1),
      );
    }
  }
});
