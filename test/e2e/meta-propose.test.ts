/**
 * End-to-end proposals: real Docker (the meta sandbox image is built like a task's), the real Anthropic
 * SDK against the local fake Messages API, and the real agent runtime. Scripted meta-agents edit the
 * harness with bash, call the validate_harness host tool and finish; we check the proposal result (the files
 * it returns, judged as the proposeCandidate activity judges them), what the model was shown, the trajectory,
 * and that no sandbox is left behind. Fails (never skips) without Docker.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { loadTrajectory } from '../../src/agent/atif/io';
import { checkProposedFiles } from '../../src/activities/proposal-check';
import { diffFiles } from '../../src/harness/diff';
import { computeHarnessId, readHarnessFiles } from '../../src/harness/files';
import { loadHarness } from '../../src/harness/load';
import type { Harness } from '../../src/harness/schema';
import { createAnthropicClient } from '../../src/llm/client';
import { metaTask } from '../../src/meta/assets';
import { HoldoutLeakError, MetaAgentError } from '../../src/meta/errors';
import { proposeCandidate } from '../../src/meta/propose';
import type { ProposalResult, ProposeInput } from '../../src/meta/schema';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { startFakeAnthropic, text, toolUse, type FakeAnthropic, type FakeScript } from '../support/fake-anthropic';

jest.setTimeout(600_000);
const docker = new Docker();
const provider = new DockerSandboxProvider({ docker });
const MODEL = 'claude-sonnet-4-6';
const FIXTURE = join(__dirname, '../fixtures/harnesses/full');
let tmp: string;
let fake: FakeAnthropic | null = null;
let parentFiles: Record<string, string>;
let parent: Harness;

beforeAll(async () => {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`meta e2e tests need a Docker daemon at /var/run/docker.sock: ${(err as Error).message}`);
  }
  await provider.ensureImage(metaTask()); // first build can take a while; later runs hit the cache
  parentFiles = await readHarnessFiles(FIXTURE);
  parent = await loadHarness(FIXTURE);
});
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'aa-meta-e2e-'));
});
afterEach(async () => {
  await fake?.close();
  fake = null;
  await rm(tmp, { recursive: true, force: true });
});

function input(over: Partial<ProposeInput> = {}): ProposeInput {
  return {
    parent: { files: parentFiles, id: computeHarnessId(parentFiles) },
    program: '# Program\nRaise the pass rate on terminal tasks.\n',
    experiments: [],
    trials: [
      {
        task: 'alpha',
        repeat: 0,
        result: { verifier: { reward: 0 } },
        trajectoryJson: '{"steps":[]}',
        verifierLog: 'FAILED: wrong output\n',
      },
    ],
    holdoutTasks: ['secret-holdout'],
    hints: [],
    model: MODEL,
    generation: 1,
    proposalIndex: 0,
    timeoutSec: 300,
    ...over,
  };
}

async function propose(script: FakeScript, over: Partial<ProposeInput> = {}) {
  const f = (fake = await startFakeAnthropic(script));
  const llm = createAnthropicClient({ apiKey: 'test-key-meta-e2e', baseURL: f.url, maxRetries: 0 });
  const result = await proposeCandidate(input(over), { provider, llm, outDir: join(tmp, 'out') });
  return { result, f };
}

/** The proposal as the proposeCandidate activity judges it: invalid with the reason, or the new harness. */
function judged(result: ProposalResult): { status: 'invalid'; reason: string } | { status: 'ok'; harness: Harness } {
  if (result.kind === 'invalid') return { status: 'invalid', reason: result.reason };
  const check = checkProposedFiles(parent, result.files, join(tmp, 'campaign'));
  return check.ok ? { status: 'ok', harness: check.harness } : { status: 'invalid', reason: check.reason };
}

/** Text of the tool_result blocks in the last message of request i. */
function toolResultText(f: FakeAnthropic, i: number): string {
  const body = f.requests[i]!.body as Anthropic.MessageCreateParamsNonStreaming;
  const last = body.messages.at(-1)!.content as Anthropic.ContentBlockParam[];
  return last
    .flatMap((b) =>
      b.type === 'tool_result' ? [typeof b.content === 'string' ? b.content : JSON.stringify(b.content)] : [],
    )
    .join('\n');
}

async function leftovers(): Promise<number> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: ['autoagent=1', 'autoagent.trial=meta-g1-p0-' + computeHarnessId(parentFiles)] },
  });
  return list.length;
}

const EDIT = `python3 -c "p='/workspace/harness/system.md'; s=open(p).read(); open(p,'w').write(s + '\\nAlways re-read the instruction before calling finish.\\n')"`;

describe('proposeCandidate (Docker + fake Messages API)', () => {
  it('a meta-agent that edits system.md, validates and finishes yields an ok proposal with a new id and diff', async () => {
    const { result, f } = await propose([
      {
        content: [
          text('Looking around.'),
          toolUse('bash', {
            command:
              "stat -c '%a %U' /workspace/program.md && ls /workspace /workspace/trials && cat /workspace/trials/alpha/r0/verifier.log",
          }),
        ],
      },
      { content: [toolUse('bash', { command: EDIT })] },
      { content: [toolUse('validate_harness', {})] },
      {
        content: [
          toolUse('finish', { summary: 'Agents finished without re-checking the instruction; added a re-read step.' }),
        ],
      },
    ]);
    expect(result).toMatchObject({
      kind: 'ok',
      rationale: 'Agents finished without re-checking the instruction; added a re-read step.',
    });
    if (result.kind !== 'ok') throw new Error('unreachable');
    const verdict = judged(result);
    if (verdict.status !== 'ok') throw new Error(verdict.reason);
    const harnessId = verdict.harness.id;
    expect(harnessId).toMatch(/^h-[0-9a-f]{16}$/);
    expect(harnessId).not.toBe(parent.id);
    expect(harnessId).toBe(computeHarnessId(result.files));
    expect(result.files['system.md']).toBe(
      `${parentFiles['system.md']}\nAlways re-read the instruction before calling finish.\n`,
    );
    expect(diffFiles(parentFiles, result.files)).toContain('+Always re-read the instruction before calling finish.');
    expect(result.usage.inputTokens).toBe(40);

    // What the meta-agent saw: program.md read-only and root-owned, train trials only, the validator's verdict.
    const seen = toolResultText(f, 1);
    expect(seen).toContain('444 root');
    expect(seen).toContain('FAILED: wrong output');
    expect(seen).not.toContain('secret-holdout');
    expect(toolResultText(f, 3)).toContain(`VALID: harness ${harnessId}`);
    const firstBody = f.requests[0]!.body as Anthropic.MessageCreateParamsNonStreaming;
    expect(firstBody.tools?.map((t) => (t as Anthropic.Tool).name)).toEqual(
      expect.arrayContaining(['bash', 'validate_harness', 'finish']),
    );
    expect(JSON.stringify(firstBody.system)).toContain(`Improve the parent harness ${parent.id}`);

    if (result.trajectoryRef === null) throw new Error('no trajectory');
    const traj = await loadTrajectory(result.trajectoryRef);
    expect(traj.final_metrics?.extra).toMatchObject({ stop_reason: 'finished', turns: 4 });
    const calls = traj.steps.flatMap((s) => s.tool_calls ?? []).map((c) => c.function_name);
    expect(calls).toEqual(['bash', 'bash', 'validate_harness', 'finish']);
    expect(JSON.stringify(traj)).not.toContain('test-key-meta-e2e');
    expect(await leftovers()).toBe(0);
  });

  it("an invalid harness.yaml is rejected with the validator's reason naming the field", async () => {
    const { result, f } = await propose([
      {
        content: [
          toolUse('bash', {
            command: `sed -i 's/^maxTurns:.*/maxTurns: lots/' /workspace/harness/harness.yaml && grep maxTurns /workspace/harness/harness.yaml`,
          }),
        ],
      },
      { content: [toolUse('validate_harness', {})] },
      { content: [toolUse('finish', { summary: 'More turns.' })] },
    ]);
    expect(toolResultText(f, 1)).toContain('maxTurns: lots');
    expect(toolResultText(f, 2)).toMatch(/^INVALID: harness\.yaml: maxTurns: /);
    const verdict = judged(result);
    expect(verdict.status).toBe('invalid');
    if (verdict.status !== 'invalid') throw new Error('unreachable');
    expect(verdict.reason).toMatch(/^invalid harness: harness\.yaml: maxTurns: /);
    expect(result.trajectoryRef).not.toBeNull();
    expect(await leftovers()).toBe(0);
  });

  it('a meta-agent that changes nothing is rejected as "no change"', async () => {
    const { result, f } = await propose([
      { content: [toolUse('validate_harness', {})] },
      { content: [toolUse('finish', { summary: 'Looks fine already.' })] },
    ]);
    expect(toolResultText(f, 1)).toContain('VALID but UNCHANGED');
    expect(judged(result)).toMatchObject({ status: 'invalid', reason: 'no change from the parent harness' });
    expect(await leftovers()).toBe(0);
  });

  it('a meta-agent that runs out of time is rejected as not finished, even after editing', async () => {
    const { result } = await propose(
      [
        { content: [toolUse('bash', { command: EDIT })] },
        { content: [text('thinking very slowly...')], delayMs: 10_000 },
      ],
      { timeoutSec: 3 },
    );
    expect(result).toMatchObject({ kind: 'invalid', reason: 'meta-agent did not finish (stop reason: timeout)' });
    expect(await leftovers()).toBe(0);
  });

  it('a failing model API is systemic: MetaAgentError (retryable), trajectory written, sandbox removed', async () => {
    const err = await propose([{ error: 'auth', message: 'bad key' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetaAgentError);
    expect(err).toMatchObject({ name: 'MetaAgentError', stopReason: 'error' });
    await expect(loadTrajectory((err as MetaAgentError).trajectoryPath)).resolves.toBeDefined();
    expect(await leftovers()).toBe(0);
  });

  it('refuses a holdout trial before any sandbox or model call', async () => {
    const f = (fake = await startFakeAnthropic([]));
    const llm = createAnthropicClient({ apiKey: 'k', baseURL: f.url, maxRetries: 0 });
    const trials = [{ task: 'secret-holdout', repeat: 0, result: {}, trajectoryJson: '{}', verifierLog: '' }];
    await expect(
      proposeCandidate(input({ trials }), { provider, llm, outDir: join(tmp, 'out') }),
    ).rejects.toBeInstanceOf(HoldoutLeakError);
    expect(f.requests).toHaveLength(0);
    expect(await leftovers()).toBe(0);
  });
});
