/**
 * Racing with cancellation of REAL sandboxes, on a real Temporal dev server: the production trial activity
 * (Docker sandboxes, the harness agent, the real Anthropic SDK against a local fake Messages API) and a
 * fake proposer whose child is clearly worse than the seed. The child's trials that the racing policy
 * needs to decide answer at once (wrongly); the others run `sleep 300` in their sandbox. Racing
 * rejects the child from the first ones, so the sleeping trials are cancelled mid-command: their
 * containers are removed (looked up by the autoagent labels), nothing of theirs is stored or charged.
 *
 * No timing decides the verdict: the first trials answer only once every sleeping trial is running, and
 * a cancellation that failed would let the sleepers finish (at the agent's 120 s deadline) and be stored.
 * Fails (never skips) without Docker or TEMPORAL_CLI_PATH.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Proposer } from '../../src/activities/ports';
import { productionParts } from '../../src/app/production';
import { computeHarnessId } from '../../src/harness/files';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { EvaluationSpecSchema } from '../../src/search/evaluation/policy';
import { loadBenchmark } from '../../src/tasks/load';
import { startOrAttachCampaign } from '../../src/temporal/client';
import type { CampaignPlan, TaskRef } from '../../src/workflows/types';
import {
  BREAK,
  MAGIC,
  MODEL,
  campaignModel,
  isMeta,
  systemOf,
  wordOf,
  writeCampaign,
} from '../e2e/support/campaign-fixture';
import { docker, readStore, requireDocker, sandboxesOf } from '../e2e/support/inspect';
import { startFakeAnthropic, toolUse, turnOf, type FakeAnthropic, type ScriptFn } from '../support/fake-anthropic';
import { startServer, startWorkers } from './support/env';
import { appendToSystem, FAKE_PROPOSAL_USAGE, testPlan } from './support/fakes';
import { firstRoundOrder, trialsToDecide, type RacingCase } from './support/racing';

jest.setTimeout(600_000);

const TRAIN = ['write-alpha', 'write-beta', 'write-gamma', 'write-delta', 'write-epsilon', 'write-zeta'];
const SPEC = EvaluationSpecSchema.parse({ policy: 'racing' });

let env: TestWorkflowEnvironment;
let stopWorkers: () => Promise<void>;
let fake: FakeAnthropic;
let root: string;
let train: TaskRef[];
const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };

/** Set by the proposer once the child exists: the racing policy's first tasks answer, the rest sleep. */
const child = { id: '', fast: [] as string[], slow: [] as string[] };
const sleepers = new Set<string>();
/** Our sandboxes running when every sleeper was in its `sleep` (ids). */
let runningAtGate: string[] = [];

const until = async (ok: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};

const model = campaignModel();
const script: ScriptFn = async (req) => {
  if (isMeta(req)) return { error: 'bad_request', message: 'no meta-agent in this test' };
  const sys = systemOf(req);
  const task = `write-${/Write the word \\"([a-z]+)\\"/.exec(sys)?.[1] ?? '?'}`;
  if (sys.includes(BREAK) && turnOf(req) === 0) {
    if (child.slow.includes(task)) {
      sleepers.add(task);
      return { content: [toolUse('bash', { command: 'sleep 300; echo late > /app/out.txt' })] };
    }
    await until(() => sleepers.size >= child.slow.length, 180_000);
    if (runningAtGate.length === 0) {
      runningAtGate = (
        await docker.listContainers({ filters: { label: ['autoagent=1', `autoagent.pid=${process.pid}`] } })
      ).map((c) => c.Id);
    }
  }
  return model(req);
};

/** The child: the seed plus BREAK (it answers in upper case: reward 0 where the seed scores 1). */
const propose =
  (plan: () => CampaignPlan): Proposer =>
  async (input) => {
    const files = appendToSystem(input.parentHarness.files, BREAK);
    const p = plan();
    child.id = computeHarnessId(files);
    // The seed scores 1 everywhere, this child 0: the first trials of its order decide it, the rest sleep.
    const c: RacingCase = {
      spec: SPEC,
      rngSeed: p.seed,
      candidateId: child.id,
      tasks: p.train,
      repeats: p.repeats,
      parentScores: Object.fromEntries(p.train.map((t) => [t.name, [1]])),
    };
    const deciding = trialsToDecide(c, () => 0) ?? p.train.length;
    const order = firstRoundOrder(c);
    child.fast = order.slice(0, deciding);
    child.slow = order.slice(deciding);
    return { kind: 'ok', files, rationale: 'answer in upper case', usage: FAKE_PROPOSAL_USAGE, trajectoryRef: null };
  };

let plan: CampaignPlan;

beforeAll(async () => {
  await requireDocker();
  root = await mkdtemp(path.join(os.tmpdir(), 'aa-racing-docker-'));
  const files = await writeCampaign(root, { name: 'prep', train: TRAIN, holdout: [], generations: 1, k: 1 });
  const tasks = await loadBenchmark(files.benchmark);
  const provider = new DockerSandboxProvider();
  for (const t of tasks) await provider.ensureImage(t); // images are built here, never inside a timed test
  train = TRAIN.map((name) => {
    const t = tasks.find((x) => x.name === name);
    if (!t) throw new Error(`missing task ${name}`);
    return { name: t.name, dir: t.dir, hash: t.hash };
  });
  fake = await startFakeAnthropic(script);
  process.env.ANTHROPIC_API_KEY = 'sk-racing-docker-test';
  process.env.ANTHROPIC_BASE_URL = fake.url;
  env = await startServer({ searchAttributes: false });
  stopWorkers = (
    await startWorkers(env, { ...productionParts().deps, propose: propose(() => plan) }, { concurrency: TRAIN.length })
  ).stop;
}, 600_000);

afterAll(async () => {
  await stopWorkers?.();
  await env?.teardown();
  await fake?.close();
  process.env.ANTHROPIC_API_KEY = saved.key;
  process.env.ANTHROPIC_BASE_URL = saved.url;
});

async function writeSeed(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'harness.yaml'),
    [
      `model: ${MODEL}`,
      'maxTurns: 4',
      'maxTokens: 1024',
      'thinkingBudget: 0',
      'system: system.md',
      'tools: [bash]',
      'bash:',
      '  timeoutSec: 600',
      '  maxOutputBytes: 4096',
      'orchestration:',
      '  planFirst: false',
      '  verify: null',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'system.md'),
    `You are a task agent in a Linux sandbox.\n\n${MAGIC}\n\n{{instruction}}\n`,
  );
  return dir;
}

test('racing rejects a worse child; its running sandboxes are cancelled: removed, not stored, not charged', async () => {
  plan = testPlan(root, 'race-docker', {
    seedHarness: await writeSeed(path.join(root, 'seed-race')),
    train,
    holdout: [],
    repeats: 1,
    proposalsPerGeneration: 1,
    concurrency: TRAIN.length,
    generations: 1,
    evaluation: SPEC,
    runtime: { trialAttempts: 1, retryInitialIntervalMs: 100, heartbeatTimeoutMs: 10_000 },
  });
  const { handle } = await startOrAttachCampaign(env.client, { name: plan.name, input: { plan } });
  const summary = await handle.result();
  const s = await readStore(plan.campaignDir, plan.name);

  // The seed solves every task; the child was rejected by racing before its sleepers could finish.
  const seedTrials = s.trials.filter((t) => t.candidateId !== child.id);
  expect(seedTrials.map((t) => t.reward)).toEqual(TRAIN.map(() => 1));
  const rec = s.candidates.find((c) => c.id === child.id);
  expect(rec?.status).toBe('rejected');
  expect(rec?.verdict).toMatch(/^racing: .*trials not needed \((\d+) cancelled/);

  // Every sleeper was running in its sandbox, and was cancelled there: no trial of it is stored ...
  expect(child.slow.length).toBeGreaterThan(0); // the policy decides before the first round is over
  expect([...sleepers].sort()).toEqual([...child.slow].sort());
  const childTrials = s.trials.filter((t) => t.candidateId === child.id);
  expect(childTrials.length).toBeGreaterThan(0);
  expect(childTrials.every((t) => child.fast.includes(t.task) && t.reward === 0)).toBe(true);
  // ... no container is left (those running at the decision included), by our labels ...
  expect(runningAtGate.length).toBeGreaterThanOrEqual(child.slow.length);
  expect(await sandboxesOf(process.pid)).toEqual([]);
  for (const id of runningAtGate)
    await expect(docker.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  // ... and nothing is charged for them: the ledger holds exactly the stored trials.
  expect(summary.ledger.trials).toBe(s.trials.length);
  expect(summary.ledger.trials).toBeLessThan(2 * TRAIN.length);
  // A sleeper's agent never got to its second turn (it would have, had its command run to the end).
  const secondTurns = fake.requests.filter((r) => !isMeta(r) && systemOf(r).includes(BREAK) && turnOf(r) > 0);
  expect(secondTurns.filter((r) => child.slow.some((t) => systemOf(r).includes(`\\"${wordOf(t)}\\"`)))).toEqual([]);
});
