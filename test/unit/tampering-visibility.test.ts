/**
 * A trial scored 0 for tampering (or a storage limit) says so where people and the meta-agent look: the
 * report's trial rows and the experiment log the next proposal reads. Train only: holdout errors stay hidden.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readExperiments } from '../../src/meta/campaign-context';
import { renderExperimentsMarkdown } from '../../src/meta/experiment-log';
import { buildReportData } from '../../src/report/data';
import { openStore } from '../../src/store/store';
import { trialResult } from '../browser/campaign-fixture';

const TAMPER =
  "RewardTamperingError: the agent changed files the verifier relies on, outside the task's work area: /usr/bin/grep (modified)";
const STORAGE =
  "StorageLimitError: the container's writable layer reached 61 MB, over the task's storage_mb = 50; the agent was stopped";
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-tamper-vis-'));
  const store = await openStore(dir);
  const rec = async (task: string, error: string | null, repeat = 0): Promise<void> => {
    const r = { ...trialResult('h-seed0001', task, 0, repeat), error, failure: null };
    await store.recordTrial(r, {
      campaign: 'c',
      candidateId: 'h-seed0001',
      taskHash: `hash-${task}`,
      trajectoryJson: { steps: [] },
      verifierLog: '',
    });
  };
  await rec('grep-task', TAMPER);
  await rec('grep-task', TAMPER, 1);
  await rec('disk-task', STORAGE);
  await rec('holdout-task', TAMPER);
  await store.recordCandidate(
    {
      id: 'h-seed0001',
      parentId: null,
      generation: 0,
      status: 'evaluated',
      verdict: 'seed',
      rationale: '',
      taskRewards: { 'grep-task': [0, 0], 'disk-task': [0] },
      meanReward: 0,
      costUsd: 0,
      complexity: 1,
    },
    { campaign: 'c', harnessFiles: { 'system.md': 'x' } },
  );
  await store.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the experiment log lists each train task's trial failures, once each, and never a holdout task", async () => {
  const store = await openStore(dir);
  try {
    const [rec] = await readExperiments(store, 'c', ['holdout-task']);
    expect(rec?.trialFailures).toEqual({ 'grep-task': [TAMPER], 'disk-task': [STORAGE] });
    const md = renderExperimentsMarkdown(await readExperiments(store, 'c', ['holdout-task']));
    expect(md).toContain(`- grep-task: ${TAMPER}`);
    expect(md).toContain(`- disk-task: ${STORAGE}`);
    expect(md).not.toContain('holdout-task');
  } finally {
    await store.close();
  }
});

test("the report's trial rows carry the error line", async () => {
  const store = await openStore(dir);
  try {
    const data = await buildReportData(store, { campaign: 'c', now: new Date('2025-06-02T00:00:00Z') });
    expect(data.trials.filter((t) => t.task === 'grep-task').map((t) => t.error)).toEqual([TAMPER, TAMPER]);
    expect(data.trials.find((t) => t.task === 'disk-task')?.error).toBe(STORAGE);
  } finally {
    await store.close();
  }
});
