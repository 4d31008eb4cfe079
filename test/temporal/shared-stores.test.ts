/**
 * A whole campaign on a real Temporal dev server whose records live in a real PostgreSQL server and whose
 * artifacts live in a real S3-compatible store (SeaweedFS), chosen only by AUTOAGENT_STORE and
 * AUTOAGENT_ARTIFACTS: every trial recorded exactly once in PostgreSQL, every log, diff and harness version
 * in S3, nothing of either in the campaign folder, and the report and `status` built from PostgreSQL + S3.
 * The services are the ones scripts/setup-services.sh starts (.tools/services.env); fails loudly without.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { artifactsDir, storeFile } from '../../src/campaign/layout';
import { statusFromStore } from '../../src/cli/campaign/offline-status';
import { generateReport } from '../../src/report/generate';
import { openStore } from '../../src/store/store';
import { startOrAttachCampaign } from '../../src/temporal/client';
import { queryRows, sharedStores, type SharedStores } from '../support/services';
import { fakeProposer, fakeTrials, testPlan, writeSeedHarness } from './support/fakes';
import { startServer, startWorkers, tmpRoot } from './support/env';
import { workerHome } from '../../src/store/references';

const saved = { ...process.env };
let stores: SharedStores;
let env: TestWorkflowEnvironment;
let root: string;
let stopWorkers: () => Promise<void>;
const trials = fakeTrials();

beforeAll(async () => {
  stores = await sharedStores('campaign');
  // The only configuration: the variables a user sets on every machine.
  Object.assign(process.env, stores.env);
  env = await startServer({ searchAttributes: false });
  root = await tmpRoot();
  await writeSeedHarness(path.join(root, 'seed'));
  stopWorkers = (await startWorkers(env, { runTrial: trials.run, propose: fakeProposer(['GOOD', 'BAD']).propose }))
    .stop;
});

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
  process.env = saved;
  await stores?.drop();
});

test('records in PostgreSQL, artifacts in S3: trials once, nothing in the campaign folder, report and status from them', async () => {
  const plan = testPlan(root, 'shared');
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  const summary = await handle.result();
  expect(summary.generations).toBe(2);

  const store = await openStore(plan.campaignDir);
  try {
    expect(store.records.dialect).toBe('postgres');
    expect(store.artifacts.url).toBe(stores.env.AUTOAGENT_ARTIFACTS);
    // Neither records nor blobs were written to the campaign folder.
    expect(existsSync(storeFile(plan.campaignDir))).toBe(false);
    expect(existsSync(artifactsDir(plan.campaignDir))).toBe(false);

    // Same campaign as test/temporal/campaign.test.ts: baseline 6 + 2 generations × 2 children × 6 + holdout 4.
    const stored = await store.listTrials(plan.name);
    expect(stored).toHaveLength(34);
    expect(new Set(stored.map((t) => t.trialId)).size).toBe(34);
    expect(summary.ledger.trials).toBe(34);
    // The worker's trial folders are in its own cache, never under the client's campaign folder.
    for (const t of stored) expect(trials.runsOf(workerHome(plan.campaignDir), t.trialId)).toBe(1);
    expect(workerHome(plan.campaignDir)).not.toBe(plan.campaignDir);
    // Exactly once in the table itself (not only after our reader's decoding).
    expect(
      await queryRows(
        stores.pgUrl,
        'SELECT COUNT(*) AS n, COUNT(DISTINCT trial_id) AS d FROM trials WHERE campaign = $1',
        [plan.name],
      ),
    ).toEqual([{ n: '34', d: '34' }]);

    // Every verifier log, harness version and diff is a blob in S3, read back by its hash.
    for (const t of stored) {
      expect(t.verifierLogHash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.getArtifactText(t.verifierLogHash as string)).toBe(t.result.verifier.output);
    }
    const candidates = await store.listCandidates(plan.name);
    const good = candidates.find((c) => c.rationale === 'add GOOD' && c.generation === 1);
    expect(good?.status).toBe('evaluated');
    expect(await store.getArtifactText(good?.diffHash ?? '')).toContain('+GOOD');
    expect((await store.getHarness(good?.harnessHash ?? ''))['system.md']).toContain('GOOD');
  } finally {
    await store.close();
  }

  // The report and the offline status read PostgreSQL + S3 (the folder holds neither).
  const report = await generateReport(plan.campaignDir, { out: path.join(root, 'report.html') });
  expect(report.campaign).toBe('shared');
  expect(report.trials).toBe(34);
  expect(report.candidates).toBe(summary.ledger.proposals + 1);
  const status = await statusFromStore(plan.campaignDir, plan.name);
  expect(status).toMatchObject({ trials: 34, bestCandidateId: summary.best?.candidateId ?? null });
  expect(status.bestHoldoutScore).toBe(summary.best?.holdoutScore);
});
