/**
 * The production Proposer end to end: a real campaign store (seed candidate, a train trial and a holdout
 * trial with trajectories), real Docker for the meta sandbox, the real Anthropic SDK against the local fake
 * Messages API. Checks what reaches the model (program, train trial, experiment log — never the holdout
 * task), the files it returns, and how outcomes map onto the activity's contract (values, or a retried throw).
 * Fails (never skips) without Docker.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { checkProposedFiles } from '../../src/activities/proposal-check';
import type { ProposerInput } from '../../src/activities/ports';
import { computeHarnessId, copyHarness, readHarnessFiles } from '../../src/harness/files';
import { loadHarness } from '../../src/harness/load';
import { createAnthropicClient } from '../../src/llm/client';
import { zeroUsage } from '../../src/llm/usage';
import { metaTask } from '../../src/meta/assets';
import { MetaAgentError } from '../../src/meta/errors';
import { createMetaProposer, DEFAULT_PROGRAM, metaOutDir } from '../../src/activities/meta-proposer';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { openStore, type CampaignStore } from '../../src/store/store';
import type { TrialResult } from '../../src/trial/types';
import { startFakeAnthropic, text, toolUse, type FakeAnthropic, type FakeScript } from '../support/fake-anthropic';

jest.setTimeout(600_000);
const docker = new Docker();
const provider = new DockerSandboxProvider({ docker });
const FIXTURE = join(__dirname, '../fixtures/harnesses/full');
const CAMPAIGN = 'adapter-e2e';
const HOLDOUT = 'secret-holdout';
const HOLDOUT_MARKER = 'HOLDOUT-ONLY-MARKER-7f3a';
let tmp: string;
let fake: FakeAnthropic | null = null;
let store: CampaignStore | null = null;

beforeAll(async () => {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`meta adapter e2e tests need a Docker daemon at /var/run/docker.sock: ${(err as Error).message}`);
  }
  await provider.ensureImage(metaTask());
});
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'aa-meta-adapter-'));
});
afterEach(async () => {
  await fake?.close();
  fake = null;
  await store?.close();
  store = null;
  await rm(tmp, { recursive: true, force: true });
});

function trialResult(task: string, harnessId: string, reward: number, output: string): TrialResult {
  return {
    trialId: `t-${task}-0`,
    task,
    agent: 'harness',
    harnessId,
    model: 'claude-sonnet-4-6',
    repeat: 0,
    reward,
    error: null,
    stopReason: 'finished',
    turns: 3,
    usage: { ...zeroUsage(), inputTokens: 100, costUsd: 0.01 },
    verifier: { reward, reason: null, exitCode: reward === 1 ? 0 : 1, output },
    timings: { buildMs: 1, startMs: 1, agentMs: 1, verifyMs: 1, totalMs: 4 },
    trajectoryPath: `/host/only/${task}/trajectory.json`,
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A campaign folder with the seed evaluated on one train and one holdout task, plus a rejected child. */
async function campaign(meta: ProposerInput['meta']): Promise<ProposerInput> {
  const campaignDir = join(tmp, CAMPAIGN);
  const seedFiles = await readHarnessFiles(FIXTURE);
  const seedId = computeHarnessId(seedFiles);
  const seedDir = join(campaignDir, 'harnesses', seedId);
  await copyHarness(FIXTURE, seedDir);
  const s = (store = await openStore(campaignDir));
  await s.recordCandidate(
    {
      id: seedId,
      parentId: null,
      generation: 0,
      status: 'evaluated',
      verdict: 'seed',
      rationale: '',
      // A holdout key must never reach the log, even if a caller put one in.
      taskRewards: { alpha: [0], [HOLDOUT]: [1] },
      meanReward: 0,
      costUsd: 0.02,
      complexity: 100,
    },
    { campaign: CAMPAIGN, harnessFiles: seedFiles, diff: '' },
  );
  await s.recordCandidate(
    {
      id: 'h-00000000000000aa',
      parentId: seedId,
      generation: 1,
      status: 'rejected',
      verdict: 'no better than the parent',
      rationale: 'Tried REJECTED-IDEA: shout at the model.',
      taskRewards: { alpha: [0] },
      meanReward: 0,
      costUsd: 0.03,
      complexity: 120,
    },
    { campaign: CAMPAIGN, diff: '--- a/system.md\n+++ b/system.md\n+SHOUT\n' },
  );
  await s.recordTrial(trialResult('alpha', seedId, 0, 'inline output'), {
    campaign: CAMPAIGN,
    candidateId: seedId,
    taskHash: 'hash-alpha',
    trajectoryJson: { schema_version: 'ATIF-v1.4', steps: [{ message: 'ALPHA-TRAJECTORY-TEXT' }] },
    verifierLog: 'FAILED: alpha expected 42\n',
  });
  await s.recordTrial(trialResult(HOLDOUT, seedId, 1, HOLDOUT_MARKER), {
    campaign: CAMPAIGN,
    candidateId: seedId,
    taskHash: 'hash-holdout',
    trajectoryJson: { steps: [{ message: HOLDOUT_MARKER }] },
    verifierLog: `${HOLDOUT_MARKER}\n`,
  });
  return {
    campaign: CAMPAIGN,
    campaignDir,
    generation: 1,
    attemptLabel: 'gen-1',
    slot: 0,
    parent: { id: seedId, dir: seedDir, complexity: 100 },
    hints: ['Look at the verifier log first.'],
    trainTasks: [{ name: 'alpha', dir: join(tmp, 'tasks/alpha'), hash: 'hash-alpha' }],
    holdoutTasks: [HOLDOUT],
    meta,
    proposalId: `${CAMPAIGN}/gen-1/slot-0`,
    parentHarness: await loadHarness(seedDir),
    signal: new AbortController().signal,
    heartbeat: () => undefined,
  };
}

async function run(script: FakeScript, input: ProposerInput) {
  const f = (fake = await startFakeAnthropic(script));
  const llm = createAnthropicClient({ apiKey: 'test-key-adapter', baseURL: f.url, maxRetries: 0 });
  const beats: unknown[] = [];
  const result = createMetaProposer({ provider, llm, timeoutSec: 300 })({ ...input, heartbeat: (d) => beats.push(d) });
  return { result, f, beats };
}

const bodies = (f: FakeAnthropic): string => JSON.stringify(f.requests.map((r) => r.body));

const EDIT = `python3 -c "p='/workspace/harness/system.md'; s=open(p).read(); open(p,'w').write(s + '\\nCheck the expected output before finishing.\\n')"`;
const DROP_VERIFIER = `rm /workspace/harness/agents/verifier.md && sed -i '/^  verify:/,/^    maxRounds:/d' /workspace/harness/harness.yaml`;

describe('createMetaProposer (store + Docker + fake Messages API)', () => {
  it('shows train trials only and returns exactly the proposed harness files, the rationale and usage', async () => {
    const programPath = join(tmp, 'program.md');
    await writeFile(programPath, '# Program\nPROGRAM-DIRECTIVE-TEXT: raise alpha.\n');
    const input = await campaign({ programPath, model: null });
    const { result, f, beats } = await run(
      [
        {
          content: [
            text('Reading.'),
            toolUse('bash', {
              command:
                'ls /workspace/trials; cat /workspace/program.md /workspace/hints.md /workspace/trials/alpha/r0/verifier.log /workspace/trials/alpha/r0/trajectory.json; cat /workspace/experiments.md /workspace/experiments.json',
            }),
          ],
        },
        { content: [toolUse('bash', { command: `${EDIT} && ${DROP_VERIFIER}` })] },
        {
          content: [
            toolUse('finish', {
              summary: 'Alpha failed on the expected output; added a check and dropped the unused verifier.',
            }),
          ],
        },
      ],
      input,
    );
    const out = await result;

    if (out.kind !== 'ok') throw new Error(out.reason);
    expect(out.rationale).toBe('Alpha failed on the expected output; added a check and dropped the unused verifier.');
    expect(out.usage.inputTokens).toBeGreaterThan(0);
    const files = out.files;
    expect(files['system.md']).toMatch(/Check the expected output before finishing\.\n$/);
    expect(files['agents/verifier.md']).toBeUndefined();
    expect(Object.keys(files).some((rel) => rel.startsWith('agents/'))).toBe(false);
    const checked = checkProposedFiles(input.parentHarness, files, input.campaignDir);
    if (!checked.ok) throw new Error(checked.reason);
    expect(checked.harness.id).not.toBe(input.parent.id);
    expect(out.trajectoryRef).toBe(join(metaOutDir(input), 'trajectory.json'));
    expect(existsSync(join(metaOutDir(input), 'trajectory.json'))).toBe(true);

    // What the model was shown: the program, hints, the train trial and the experiment log; the seed's
    // model (meta.model null); never the holdout task, its trial, or host paths.
    const seen = bodies(f);
    expect(seen).toContain('PROGRAM-DIRECTIVE-TEXT');
    expect(seen).toContain('Look at the verifier log first.');
    expect(seen).toContain('FAILED: alpha expected 42');
    expect(seen).toContain('ALPHA-TRAJECTORY-TEXT');
    expect(seen).toContain('Tried REJECTED-IDEA: shout at the model.');
    expect(seen).toContain('+SHOUT');
    expect(seen).not.toContain(HOLDOUT);
    expect(seen).not.toContain(HOLDOUT_MARKER);
    expect(seen).not.toContain('/host/only/');
    expect(seen).not.toContain('test-key-adapter');
    expect((f.requests[0]!.body as { model: string }).model).toBe('claude-sonnet-4-6');
    expect(beats).toEqual(expect.arrayContaining([expect.objectContaining({ proposalId: input.proposalId, turn: 1 })]));
  });

  it('an unchanged harness is judged "no change", its usage kept; the default program and meta.model are used', async () => {
    const input = await campaign({ programPath: null, model: 'claude-sonnet-4-6' });
    const before = input.parentHarness.files;
    const { result, f } = await run(
      [
        { content: [toolUse('bash', { command: 'cat /workspace/program.md' })] },
        { content: [toolUse('finish', { summary: 'Nothing to change.' })] },
      ],
      input,
    );
    const out = await result;
    if (out.kind !== 'ok') throw new Error(out.reason);
    expect(checkProposedFiles(input.parentHarness, out.files, input.campaignDir)).toEqual({
      ok: false,
      reason: 'no change from the parent harness',
    });
    expect(out.usage.inputTokens).toBeGreaterThan(0);
    expect(out.trajectoryRef).toBe(join(metaOutDir(input), 'trajectory.json'));
    expect(bodies(f)).toContain(DEFAULT_PROGRAM.split('\n')[2]!);
    expect((f.requests[0]!.body as { model: string }).model).toBe('claude-sonnet-4-6');
    expect(out.files).toEqual(before);
  });

  it('a failing model API propagates as MetaAgentError (retried by Temporal), not as an invalid proposal', async () => {
    const input = await campaign({ programPath: null, model: null });
    const { result } = await run([{ error: 'server', message: 'upstream down' }], input);
    const err = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MetaAgentError);
  });

  it('a missing program file is an invalid proposal before any model call', async () => {
    const input = await campaign({ programPath: join(tmp, 'missing.md'), model: null });
    const { result, f } = await run([], input);
    await expect(result).resolves.toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('missing.md'),
      usage: zeroUsage(),
      trajectoryRef: null,
    });
    expect(f.requests).toHaveLength(0);
  });
});
