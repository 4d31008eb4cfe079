/**
 * The meta-agent's workspace and fixed assets: what it is shown (train trials only, the experiment log,
 * hints, an editable harness copy, a read-only program) and that the meta-harness itself is valid.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHarnessFiles } from '../../src/harness/files';
import { loadHarness } from '../../src/harness/load';
import { renderSystemPrompt } from '../../src/harness/render';
import { HoldoutLeakError, MetaWorkspaceError } from '../../src/meta/errors';
import { metaInstruction } from '../../src/meta/instruction';
import { loadMetaHarness, metaTask } from '../../src/meta/assets';
import {
  ExperimentRecordSchema,
  ProposalResultSchema,
  type ExperimentRecord,
  type MetaTrial,
} from '../../src/meta/schema';
import { buildMetaWorkspace, type MetaWorkspaceInput } from '../../src/meta/workspace';
import { useTmpDir } from '../support/tmp-dir';

const FIXTURE = join(__dirname, '../fixtures/harnesses/full');
const tmp = useTmpDir('aa-meta-ws-');

const record = (over: Partial<ExperimentRecord>): ExperimentRecord =>
  ExperimentRecordSchema.parse({
    id: 'h-seed000000000000',
    parentId: null,
    generation: 0,
    status: 'evaluated',
    trainScore: 0.5,
    taskRewards: { alpha: [1, 0], beta: [0, 0] },
    costUsd: 0.12,
    verdict: 'baseline',
    rationale: '',
    diff: '',
    ...over,
  });

const trial = (task: string, repeat: number, reward: number): MetaTrial => ({
  task,
  repeat,
  result: { verifier: { reward }, stopReason: 'finished' },
  trajectoryJson: JSON.stringify({ schema_version: 'ATIF-v1.4', session_id: `${task}-${repeat}`, steps: [] }),
  verifierLog: `verifier of ${task} r${repeat}: reward ${reward}\n`,
});

async function input(over: Partial<MetaWorkspaceInput> = {}): Promise<MetaWorkspaceInput> {
  return {
    parentFiles: await readHarnessFiles(FIXTURE),
    parentId: 'h-parent',
    program: '# Program\nMaximise the score.\n',
    experiments: [
      record({}),
      record({
        id: 'h-child00000000001',
        parentId: 'h-seed000000000000',
        generation: 1,
        status: 'rejected',
        trainScore: 0.25,
        verdict: 'no gain over parent (p=0.4)',
        rationale: 'Told the agent to plan first.',
        diff: '--- a/system.md\n+++ b/system.md\n+Plan first.\n',
      }),
    ],
    trials: [trial('alpha', 0, 1), trial('alpha', 1, 0), trial('beta', 0, 0)],
    holdoutTasks: ['secret-holdout'],
    hints: ['Look at output formats.'],
    ...over,
  };
}

describe('buildMetaWorkspace', () => {
  it('lays out program, log, trials, hints and an editable harness copy', async () => {
    const ws = join(tmp(), 'ws');
    const inp = await input();
    await buildMetaWorkspace(ws, inp);
    expect((await readdir(ws)).sort()).toEqual(
      [
        'README.md',
        'experiments.json',
        'experiments.md',
        'harness',
        'harness-format.md',
        'hints.md',
        'program.md',
        'trials',
      ].sort(),
    );
    expect(await readHarnessFiles(join(ws, 'harness'))).toEqual(inp.parentFiles);
    expect((await stat(join(ws, 'harness/system.md'))).mode & 0o200).toBe(0o200);
    expect(await readFile(join(ws, 'trials/alpha/r1/verifier.log'), 'utf8')).toBe('verifier of alpha r1: reward 0\n');
    expect(JSON.parse(await readFile(join(ws, 'trials/beta/r0/result.json'), 'utf8'))).toEqual({
      verifier: { reward: 0 },
      stopReason: 'finished',
    });
    expect(JSON.parse(await readFile(join(ws, 'trials/alpha/r0/trajectory.json'), 'utf8')).session_id).toBe('alpha-0');
    expect(await readFile(join(ws, 'hints.md'), 'utf8')).toContain('- Look at output formats.');
    expect(await readFile(join(ws, 'README.md'), 'utf8')).toContain('Training tasks shown (2): alpha, beta.');
  });

  it('makes program.md (and every file outside harness/) read-only', async () => {
    const ws = join(tmp(), 'ws');
    await buildMetaWorkspace(ws, await input());
    expect((await stat(join(ws, 'program.md'))).mode & 0o777).toBe(0o444);
    expect(await readFile(join(ws, 'program.md'), 'utf8')).toBe('# Program\nMaximise the score.\n');
    for (const f of [
      'README.md',
      'experiments.md',
      'experiments.json',
      'hints.md',
      'trials/alpha/r0/trajectory.json',
    ]) {
      expect([f, (await stat(join(ws, f))).mode & 0o777]).toEqual([f, 0o444]);
    }
  });

  it('renders the experiment log: table, verdicts, rationale, per-task rewards and diffs; JSON round-trips', async () => {
    const ws = join(tmp(), 'ws');
    const inp = await input();
    await buildMetaWorkspace(ws, inp);
    const md = await readFile(join(ws, 'experiments.md'), 'utf8');
    expect(md).toContain(
      '| h-child00000000001 | h-seed000000000000 | 1 | rejected | 0.250 | 0.1200 | no gain over parent (p=0.4) |',
    );
    expect(md).toContain('Told the agent to plan first.');
    expect(md).toContain('+Plan first.');
    expect(md).toContain('alpha: 1.00/0.00, beta: 0.00/0.00');
    const json = JSON.parse(await readFile(join(ws, 'experiments.json'), 'utf8'));
    expect(json.map((r: unknown) => ExperimentRecordSchema.parse(r))).toEqual(inp.experiments);
  });

  it('never shows a holdout task: throws before writing anything', async () => {
    const ws = join(tmp(), 'ws');
    const inp = await input({ trials: [trial('alpha', 0, 1), trial('secret-holdout', 2, 1)] });
    const err = await buildMetaWorkspace(ws, inp).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HoldoutLeakError);
    expect(err).toMatchObject({ name: 'HoldoutLeakError', task: 'secret-holdout', repeat: 2 });
    await expect(stat(ws)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('omits hints.md without hints, and rejects task names that are not safe folder names', async () => {
    const ws = join(tmp(), 'ws');
    await buildMetaWorkspace(ws, await input({ hints: [] }));
    await expect(stat(join(ws, 'hints.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(
      buildMetaWorkspace(join(tmp(), 'ws2'), await input({ trials: [trial('../escape', 0, 1)] })),
    ).rejects.toBeInstanceOf(MetaWorkspaceError);
  });
});

describe('meta-agent assets', () => {
  it('the meta-harness is valid, takes the run model, and renders the instruction into its prompt', async () => {
    const h = await loadMetaHarness('claude-opus-4-1');
    expect(h.config.model).toBe('claude-opus-4-1');
    expect(h.warnings).toEqual([]);
    const instruction = metaInstruction({
      parentId: 'h-parent',
      generation: 3,
      proposalIndex: 1,
      experiments: [],
      trials: [trial('alpha', 0, 1), trial('beta', 0, 0)],
      hasHints: true,
    });
    const prompt = renderSystemPrompt(h, { instruction, taskName: 'improve-harness' });
    expect(prompt).toContain('Generation 3, proposal 1. Improve the parent harness h-parent');
    expect(prompt).toContain('- trials/beta/r0/ — reward 0.00');
    expect(prompt).toContain('/workspace/hints.md');
    expect(prompt).toContain('validate_harness');
  });

  it("the meta environment shares the starter tasks' first two Dockerfile lines (build cache)", async () => {
    const t = metaTask();
    const mine = (await readFile(t.paths.dockerfile as string, 'utf8'))
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    const starter = (
      await readFile(join(__dirname, '../../benchmarks/tasks/starter/c-calc-build/environment/Dockerfile'), 'utf8')
    ).split('\n');
    expect(mine.slice(0, 2)).toEqual(starter.slice(0, 2));
    expect(t.config.environment).toMatchObject({ allowInternet: false, workdir: '/workspace', dockerImage: null });
  });

  it('ProposalResultSchema accepts both outcomes and rejects a mixed one', async () => {
    const usage = { inputTokens: 1, outputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01 };
    expect(ProposalResultSchema.parse({ kind: 'invalid', reason: 'no change', usage, trajectoryRef: null }).kind).toBe(
      'invalid',
    );
    const ok = { kind: 'ok', files: { 'a.md': 'x' }, rationale: 'r', usage, trajectoryRef: '/t.json' };
    expect(ProposalResultSchema.parse(ok).kind).toBe('ok');
    expect(ProposalResultSchema.safeParse({ ...ok, kind: 'invalid' }).success).toBe(false);
    expect((await loadHarness(FIXTURE)).id).toMatch(/^h-[0-9a-f]{16}$/);
  });
});
