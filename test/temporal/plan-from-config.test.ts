/**
 * The production plan loader on the real starter benchmark and baseline harness: campaign.yaml → a plan
 * the workflow accepts (tasks hashed, split resolved, paths absolute), and config errors are named.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parsePlan } from '../../src/activities/plan-schema';
import { planFromConfig } from '../../src/activities/plan-from-config';
import { createPrepare } from '../../src/activities/prepare';
import type { ActivityDeps } from '../../src/activities/ports';
import { loadHarness } from '../../src/harness/load';
import { openStore } from '../../src/store/store';
import { harnessDir } from '../../src/campaign/layout';

const REPO = path.resolve(__dirname, '..', '..');

async function writeConfig(body: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoagent-plan-'));
  await writeFile(path.join(dir, 'program.md'), 'Make the agent better.\n');
  const file = path.join(dir, 'campaign.yaml');
  await writeFile(file, body);
  return file;
}

test('campaign.yaml becomes a valid plan with hashed task references', async () => {
  const file = await writeConfig(`name: starter-run
benchmark: ${REPO}/benchmarks/tasks/starter
seedHarness: ${REPO}/benchmarks/harnesses/baseline
program: program.md
taskModel: claude-sonnet-4-6
train: [json-deep-merge, text-word-frequency]
holdout: [csv-sales-summary]
generations: 3
proposalsPerGeneration: 2
concurrency: 3
acceptance: { mode: greedy }
budget: { usd: 5 }
`);
  const plan = parsePlan(await planFromConfig(file), file);
  expect(plan.name).toBe('starter-run');
  expect(plan.campaignDir).toBe(path.join(path.dirname(file), '.autoagent', 'starter-run'));
  expect(plan.train.map((t) => t.name)).toEqual(['json-deep-merge', 'text-word-frequency']);
  expect(plan.holdout.map((t) => t.name)).toEqual(['csv-sales-summary']);
  for (const t of [...plan.train, ...plan.holdout]) {
    expect(t.dir).toBe(path.join(REPO, 'benchmarks/tasks/starter', t.name));
    expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
  }
  expect(plan).toMatchObject({
    proposalsPerGeneration: 2,
    concurrency: 3,
    acceptance: { mode: 'greedy' },
    budget: { usd: 5 },
    generations: 3,
  });
  // An explicit taskModel is carried for the seed and every candidate; the meta model defaults to it.
  expect(plan.meta).toEqual({
    programPath: path.join(path.dirname(file), 'program.md'),
    model: 'claude-sonnet-4-6',
    taskModel: 'claude-sonnet-4-6',
  });
});

test("without taskModel the task model is the seed harness's: nothing is overridden; the meta model and the judge follow it", async () => {
  const file = await writeConfig(`name: seed-model
benchmark: ${REPO}/benchmarks/tasks/starter
seedHarness: ${REPO}/benchmarks/harnesses/baseline
program: program.md
train: [json-deep-merge]
tamperingJudge: { sample: 2 }
`);
  const plan = parsePlan(await planFromConfig(file), file);
  const seedModel = /^model:\s*(\S+)/m.exec(
    await readFile(path.join(REPO, 'benchmarks/harnesses/baseline/harness.yaml'), 'utf8'),
  )?.[1];
  expect(seedModel).toBeTruthy();
  expect(plan.meta).toEqual({
    programPath: path.join(path.dirname(file), 'program.md'),
    model: null,
    judge: { model: seedModel, sample: 2 },
  });
});

test('the paired test of campaign.yaml survives into the plan (default stratified)', async () => {
  const config = (acceptance: string): string => `name: test-kind
benchmark: ${REPO}/benchmarks/tasks/starter
seedHarness: ${REPO}/benchmarks/harnesses/baseline
program: program.md
taskModel: m
train: [json-deep-merge]
${acceptance}`;
  const byDefault = await writeConfig(config(''));
  expect(parsePlan(await planFromConfig(byDefault), byDefault).acceptance).toEqual({
    mode: 'paired-test',
    alpha: 0.1,
    minDelta: 0.05,
    test: 'stratified',
  });
  const legacy = await writeConfig(config('acceptance: { test: task-means }\n'));
  expect(parsePlan(await planFromConfig(legacy), legacy).acceptance).toMatchObject({
    mode: 'paired-test',
    test: 'task-means',
  });
});

test('an unknown task name fails with the file and field named', async () => {
  const file = await writeConfig(`name: bad
benchmark: ${REPO}/benchmarks/tasks/starter
seedHarness: ${REPO}/benchmarks/harnesses/baseline
program: program.md
taskModel: m
train: [no-such-task]
`);
  await expect(planFromConfig(file)).rejects.toMatchObject({ name: 'CampaignConfigError', file, field: 'train[0]' });
});

test('objective and merge reach the plan only when they change something', async () => {
  const config = (extra: string): string => `name: test-objective
benchmark: ${REPO}/benchmarks/tasks/starter
seedHarness: ${REPO}/benchmarks/harnesses/baseline
program: program.md
taskModel: m
train: [json-deep-merge]
${extra}`;
  const byDefault = await writeConfig(config('objective: score\n'));
  const plain = parsePlan(await planFromConfig(byDefault), byDefault);
  expect(plain.objective).toBeUndefined();
  expect(plain.merge).toBeUndefined();
  const costed = await writeConfig(config('objective: { score: 1, costUsd: -2 }\nmerge: { every: 3 }\n'));
  expect(parsePlan(await planFromConfig(costed), costed)).toMatchObject({
    objective: { score: 1, costUsd: -2 },
    merge: { every: 3 },
  });
  const bad = await writeConfig(config('objective: { score: 1, costUsd: 2 }\n'));
  await expect(planFromConfig(bad)).rejects.toMatchObject({
    name: 'CampaignConfigError',
    file: bad,
    field: 'objective.costUsd',
  });
});

test('prepareCampaign writes an explicit taskModel into the stored seed: the baseline runs the model the candidates will', async () => {
  const file = await writeConfig(`name: pinned-model
benchmark: ${REPO}/benchmarks/tasks/starter
seedHarness: ${REPO}/benchmarks/harnesses/baseline
program: program.md
train: [json-deep-merge]
taskModel: openai/pinned-model
`);
  const prepare = createPrepare({ loadPlan: (f: string) => planFromConfig(f) } as unknown as ActivityDeps, (dir) =>
    openStore(dir),
  );
  const prepared = await prepare({ configPath: file });
  expect((await loadHarness(harnessDir(prepared.plan.campaignDir, prepared.seed.id))).config.model).toBe(
    'openai/pinned-model',
  );
  expect(prepared.plan.meta?.taskModel).toBe('openai/pinned-model');
});
