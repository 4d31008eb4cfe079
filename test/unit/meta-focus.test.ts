/**
 * Diverse proposals (src/meta/focus.ts, instruction.ts): the parent's failed trials are clustered by how
 * they failed, and each proposal of a generation starts from its own cluster and lever, deterministically.
 * A merge proposal's instruction and workspace (merge/: the other harness read-only, both diffs), and the
 * lineage walk that finds the diffs' common ancestor (merge-context.ts), on a real store.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHarnessFiles } from '../../src/harness/files';
import { failureClusters, failureSignature, LEVERS, proposalFocus } from '../../src/meta/focus';
import { metaInstruction } from '../../src/meta/instruction';
import { commonAncestor, lineageOf } from '../../src/meta/merge-context';
import { parseMetaRun } from '../../src/llm/fake-server/demo-meta';
import type { MetaTrial } from '../../src/meta/schema';
import { buildMetaWorkspace } from '../../src/meta/workspace';
import { openStore } from '../../src/store/store';
import { useTmpDir } from '../support/tmp-dir';

const FIXTURE = join(__dirname, '../fixtures/harnesses/full');
const tmp = useTmpDir('aa-meta-focus-');

const trial = (task: string, repeat: number, result: unknown): MetaTrial => ({
  task,
  repeat,
  result,
  trajectoryJson: '{}',
  verifierLog: '',
});
const passed = (task: string, repeat = 0): MetaTrial =>
  trial(task, repeat, { verifier: { reward: 1 }, stopReason: 'finished' });
const wrong = (task: string, repeat = 0): MetaTrial =>
  trial(task, repeat, { verifier: { reward: 0, reason: null }, stopReason: 'finished' });
const outOfTurns = (task: string, repeat = 0): MetaTrial =>
  trial(task, repeat, { verifier: { reward: 0 }, stopReason: 'max_turns' });
const timedOut = (task: string, repeat = 0): MetaTrial =>
  trial(task, repeat, {
    verifier: { reward: 0 },
    stopReason: 'timeout',
    failure: { phase: 'agent', type: 'AgentTimeoutError', message: 'x' },
  });

const TRIALS = [passed('a'), wrong('b'), wrong('c'), outOfTurns('d'), outOfTurns('d', 1), wrong('e'), timedOut('f')];

describe('failure clusters and focus', () => {
  it('names how a trial failed: the failure type, an unclean stop, the verifier reason, or wrong output', () => {
    expect(failureSignature(passed('a').result)).toBeNull();
    expect(failureSignature(timedOut('f').result)).toBe('AgentTimeoutError');
    expect(failureSignature(outOfTurns('d').result)).toBe('agent stopped: max_turns');
    expect(failureSignature({ verifier: { reward: 0, reason: 'no reward file' }, stopReason: 'finished' })).toBe(
      'verifier: no reward file',
    );
    expect(failureSignature(wrong('b').result)).toBe('the agent finished but the tests failed');
    expect(failureSignature('not an object')).toBeNull();
  });

  it('groups failed trials, biggest cluster first', () => {
    expect(failureClusters(TRIALS)).toEqual([
      { signature: 'the agent finished but the tests failed', trials: ['trials/b/r0', 'trials/c/r0', 'trials/e/r0'] },
      { signature: 'agent stopped: max_turns', trials: ['trials/d/r0', 'trials/d/r1'] },
      { signature: 'AgentTimeoutError', trials: ['trials/f/r0'] },
    ]);
    expect(failureClusters([passed('a')])).toEqual([]);
  });

  it('siblings get different levers and clusters; the same inputs always give the same focus', () => {
    const focus = [0, 1, 2].map((p) => proposalFocus(TRIALS, 4, p));
    expect(new Set(focus.map((f) => f.lever)).size).toBe(3);
    expect(new Set(focus.map((f) => f.cluster?.signature)).size).toBe(3);
    expect(proposalFocus([...TRIALS].reverse(), 4, 1)).toEqual(focus[1]);
    expect(LEVERS.map((l) => l.lever)).toEqual(['prompt', 'tools', 'orchestration']);
    // Over generations the rotation moves on, so a K=1 campaign does not always pull the same lever.
    expect(new Set([1, 2, 3].map((g) => proposalFocus(TRIALS, g, 0).lever)).size).toBe(3);
    expect(proposalFocus([passed('a')], 1, 0).cluster).toBeNull();
  });

  it('the instruction says where to start, and keeps the lines scripted meta-agents read', () => {
    const text = (p: number): string =>
      metaInstruction({
        parentId: 'h-p',
        generation: 1,
        proposalIndex: p,
        experiments: [],
        trials: TRIALS,
        hasHints: false,
      });
    const zero = text(0);
    const one = text(1);
    expect(zero).toContain('Generation 1, proposal 0. Improve the parent harness h-p');
    expect(zero).toContain('Your starting point (each proposal of this generation gets a different one');
    expect(zero).toContain(
      '- Study first the failures "agent stopped: max_turns" (2 trial(s): trials/d/r0, trials/d/r1).',
    );
    expect(zero).toMatch(/- Lever to try first: the tools/);
    expect(one).toContain('- Study first the failures "AgentTimeoutError" (1 trial(s): trials/f/r0).');
    expect(one).toMatch(/- Lever to try first: the orchestration/);
    expect(text(2)).toMatch(/- Lever to try first: the prompt/);
    // The demo meta-agent's parser still reads generation, proposal and exactly the 7 trial lines.
    expect(parseMetaRun(zero)).toMatchObject({ generation: 1, proposal: 0 });
    expect(parseMetaRun(zero).trials).toHaveLength(7);
  });
});

describe('merge proposals', () => {
  const merge = {
    other: {
      id: 'h-other',
      files: {
        'harness.yaml': 'model: m\n',
        'system.md': 'Q\n',
        'agents/checker.md': '---\ndescription: c\n---\nCheck.\n',
      },
    },
    parentWins: ['b'],
    otherWins: ['c', 'd'],
    ancestorId: 'h-seed',
    parentDiff: '+P line\n',
    otherDiff: '+Q line\n',
  };

  it('the instruction names both harnesses, who wins what, and the diffs; no focus', () => {
    const text = metaInstruction({
      parentId: 'h-p',
      generation: 3,
      proposalIndex: 1,
      experiments: [],
      trials: TRIALS,
      hasHints: false,
      merge,
    });
    expect(text).toContain('Generation 3, proposal 1. Merge into the parent harness h-p');
    expect(text).toContain('The other frontier harness h-other is in /workspace/merge/other-harness/ (read-only)');
    expect(text).toContain('- the parent scores higher on: b;');
    expect(text).toContain('- h-other scores higher on: c, d.');
    expect(text).toContain("each one's changes from their common ancestor h-seed");
    expect(text).not.toContain('Your starting point');
  });

  it('the workspace holds the other harness and both diffs, read-only, beside the editable parent', async () => {
    const ws = join(tmp(), 'ws');
    const parentFiles = await readHarnessFiles(FIXTURE);
    await buildMetaWorkspace(ws, {
      parentFiles,
      parentId: 'h-p',
      program: 'p',
      experiments: [],
      trials: TRIALS,
      holdoutTasks: [],
      hints: [],
      merge,
    });
    expect(await readHarnessFiles(join(ws, 'merge/other-harness'))).toEqual(merge.other.files);
    expect(await readFile(join(ws, 'merge/parent.diff'), 'utf8')).toBe('+P line\n');
    expect(await readFile(join(ws, 'merge/other.diff'), 'utf8')).toBe('+Q line\n');
    expect((await stat(join(ws, 'merge/other-harness/system.md'))).mode & 0o222).toBe(0);
    expect(await readHarnessFiles(join(ws, 'harness'))).toEqual(parentFiles);
    expect(await readFile(join(ws, 'README.md'), 'utf8')).toContain('`merge/` — this is a merge');
    const escape = { ...merge, other: { id: 'h-x', files: { '../../evil.md': 'x' } } };
    await expect(
      buildMetaWorkspace(join(tmp(), 'ws2'), {
        parentFiles,
        parentId: 'h-p',
        program: 'p',
        experiments: [],
        trials: [],
        holdoutTasks: [],
        hints: [],
        merge: escape,
      }),
    ).rejects.toThrow(/escapes the harness folder/);
  });

  it('the diffs start from the nearest common ancestor in the stored lineage', async () => {
    const store = await openStore(tmp());
    try {
      const rec = (id: string, parentId: string | null, generation: number) =>
        store.recordCandidate(
          {
            id,
            parentId,
            generation,
            status: 'evaluated',
            verdict: '',
            rationale: '',
            taskRewards: {},
            meanReward: 0,
            costUsd: 0,
            complexity: 1,
          },
          { campaign: 'c' },
        );
      await rec('h-seed', null, 0);
      await rec('h-a', 'h-seed', 1);
      await rec('h-a2', 'h-a', 2);
      await rec('h-b', 'h-seed', 1);
      expect(await lineageOf(store, 'h-a2')).toEqual(['h-a2', 'h-a', 'h-seed']);
      expect(await commonAncestor(store, 'h-a2', 'h-b')).toBe('h-seed');
      expect(await commonAncestor(store, 'h-a2', 'h-a')).toBe('h-a');
      expect(await commonAncestor(store, 'h-a2', 'h-unknown')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
