/**
 * Whole campaigns on a real Temporal dev server with fake trials and proposals: an improving edit is
 * accepted and a worse one rejected, every trial is run, stored and charged exactly once, search
 * attributes are upserted, and a campaign that continues-as-new every generation carries its state.
 * RECORD_HISTORIES=1 rewrites test/fixtures/histories/*.json (replayed by replay.test.ts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { openStore } from '../../src/store/store';
import { campaignStatus, startOrAttachCampaign } from '../../src/temporal/client';
import type { CampaignSummary } from '../../src/workflows/types';
import { fakeProposer, fakeTrials, testPlan, writeSeedHarness } from './support/fakes';
import { startServer, startWorkers, tmpRoot } from './support/env';

const HISTORIES = path.join(__dirname, '..', 'fixtures', 'histories');

let env: TestWorkflowEnvironment;
let root: string;
const trials = fakeTrials();
const proposer = fakeProposer(['GOOD', 'BAD']);
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  env = await startServer({ searchAttributes: true });
  root = await tmpRoot();
  await writeSeedHarness(path.join(root, 'seed'));
  stopWorkers = (await startWorkers(env, { runTrial: trials.run, propose: proposer.propose })).stop;
});

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
});

async function recordHistories(prefix: string, workflowId: string, children: string[]): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  for (const id of [workflowId, ...children]) {
    const history = await env.client.workflow.getHandle(id).fetchHistory();
    const file = `${prefix}--${id.replace(/[^a-z0-9-]+/gi, '_')}.json`;
    await writeFile(
      path.join(HISTORIES, file),
      JSON.stringify({ workflowId: id, history: JSON.parse(historyToJSON(history)) }, null, 1),
    );
  }
}

test('a small campaign accepts the improving edit, rejects the worse one, and counts every trial once', async () => {
  const plan = testPlan(root, 'small');
  const { handle, state } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  expect(state).toBe('started');
  const again = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  expect(again.state).toBe('running');
  const summary: CampaignSummary = await handle.result();

  // Gen 1 from the seed: GOOD (a,b solved) accepted, BAD rejected. Gen 2 from GOOD: no further gain.
  expect(summary.generations).toBe(2);
  expect(summary.stopReason).toMatch(/2 generations/);
  const store = await openStore(plan.campaignDir);
  const candidates = await store.listCandidates(plan.name);
  const good = candidates.find((c) => c.generation === 1 && c.rationale === 'add GOOD');
  const bad = candidates.find((c) => c.generation === 1 && c.rationale === 'add BAD');
  expect(good?.status).toBe('evaluated');
  expect(good?.verdict).toMatch(/stratified p=0.167 < alpha 0.2/);
  expect(bad?.status).toBe('rejected');
  expect(bad?.verdict).toMatch(/worse than parent/);
  expect(summary.best?.candidateId).toBe(good?.id);
  expect(summary.best?.trainScore).toBeCloseTo(2 / 3);
  expect(summary.best?.holdoutScore).toBe(1);
  expect(summary.seed?.trainScore).toBeCloseTo(1 / 3);
  expect(summary.seed?.holdoutScore).toBe(0.5);
  expect(summary.frontier.map((c) => c.id)).toEqual([good?.id]);
  // The diff against the parent was stored when the child was proposed, and the candidate row points at it.
  expect(good?.diffHash).toMatch(/^[0-9a-f]{64}$/);
  expect(await store.getArtifactText(good?.diffHash ?? '')).toContain('+GOOD');

  // baseline 3 tasks x 2 repeats + 2 generations x 2 children x 6 + holdout 2 candidates x 2 tasks.
  const stored = await store.listTrials(plan.name);
  expect(stored).toHaveLength(6 + 24 + 4);
  expect(summary.ledger.trials).toBe(stored.length);
  expect(new Set(stored.map((t) => t.trialId)).size).toBe(stored.length);
  for (const t of stored) expect(trials.runsOf(plan.campaignDir, t.trialId)).toBe(1);
  expect(summary.ledger.proposals).toBe(4);
  expect(summary.ledger.costUsd).toBeCloseTo(34 * 0.01 + 4 * 0.1);
  expect(await store.listProposals(plan.name)).toHaveLength(4);

  const status = await campaignStatus(handle);
  expect(status).toMatchObject({
    phase: 'done',
    generation: 2,
    trialsDone: 34,
    waitingForRetry: null,
    bestCandidateId: good?.id,
  });
  const desc = await handle.describe();
  expect(desc.searchAttributes.AutoAgentCampaign).toEqual(['small']);
  expect(desc.searchAttributes.AutoAgentGeneration).toEqual([2]);
  expect(desc.searchAttributes.AutoAgentBestScore?.[0]).toBeCloseTo(2 / 3);
  // A new campaign records that it runs under today's stone rules; a recorded history without the marker
  // replays under the legacy ones (replay.test.ts replays such fixtures).
  const events = (JSON.parse(historyToJSON(await handle.fetchHistory())) as { events: object[] }).events;
  const markers = events.filter((e) => 'markerRecordedEventAttributes' in e);
  expect(JSON.stringify(markers)).toContain(Buffer.from(JSON.stringify('stone-rules-1')).toString('base64'));
  await store.close();
  await recordHistories('small', handle.workflowId, [
    `${handle.workflowId}/gen-0`,
    `${handle.workflowId}/gen-1`,
    `${handle.workflowId}/holdout`,
  ]);
});

test('continue-as-new every generation carries the state; a config path works as input', async () => {
  const plan = testPlan(root, 'can', { generations: 3, runtime: { maxGenerationsPerRun: 1, trialAttempts: 1 } });
  const configPath = path.join(root, 'can.json');
  await writeFile(configPath, JSON.stringify(plan));
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { configPath } });
  const summary = await handle.result();
  expect(summary.runs).toBe(3);
  expect(summary.generations).toBe(3);
  expect(summary.best?.trainScore).toBeCloseTo(2 / 3);
  const store = await openStore(plan.campaignDir);
  // Generation 3 proposes the same children as generation 2: their stored trials are reused, not charged.
  const stored = await store.listTrials(plan.name);
  expect(summary.ledger.trials).toBe(stored.length);
  expect((await store.listCandidates(plan.name)).filter((c) => c.status === 'evaluated')).toHaveLength(2);
  await store.close();
  expect(trials.total()).toBe(34 + stored.length); // the first test's 34, then each new trial once
  // Each run's history stays small: the trials live in the children's histories.
  const last = await handle.fetchHistory();
  expect(last.events?.length ?? 0).toBeLessThan(150);
  await recordHistories('can', handle.workflowId, []);
});
