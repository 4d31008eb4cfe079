/**
 * The offline demo model's decision logic, driven through real request bodies (the shape the agent loop
 * sends) against the real starter benchmark, baseline harness and meta-harness prompt files.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  demoScript,
  demoTurn,
  loadDemoBenchmark,
  META_MARKER,
  type DemoBenchmark,
} from '../../src/llm/fake-server/demo';
import { appendCommand, parseMetaRun, planEdit } from '../../src/llm/fake-server/demo-meta';
import { MARKERS, USELESS_LINES, demoSolves, difficulty, markersIn } from '../../src/llm/fake-server/demo-markers';
import {
  DEMO_LABEL,
  firstFileOf,
  identifyTask,
  solveCommand,
  type DemoTurn,
} from '../../src/llm/fake-server/demo-task';
import { metaInstruction } from '../../src/meta/instruction';

const ROOT = path.resolve(__dirname, '../..');
const STARTER = path.join(ROOT, 'benchmarks/tasks/starter');
const BASELINE_SYSTEM = readFileSync(path.join(ROOT, 'benchmarks/harnesses/baseline/system.md'), 'utf8');
const META_SYSTEM = readFileSync(path.join(ROOT, 'src/meta/meta-harness/system.md'), 'utf8');
const ALL_MARKERS_SYSTEM = `${BASELINE_SYSTEM}\n${MARKERS.map((m) => m.line).join('\n')}\n`;
const TASK_TOOLS = ['bash', 'read_file', 'write_file', 'edit_file', 'finish'];
const META_TOOLS = [...TASK_TOOLS, 'validate_harness'];

interface Call {
  name: string;
  input: Record<string, unknown>;
}
type Results = (call: Call, index: number) => string;

/** Plays a conversation against the demo model the way the agent loop does; returns every turn. */
function play(
  bench: DemoBenchmark,
  system: string,
  firstUser: string,
  tools: string[],
  results: Results,
  maxTurns = 12,
): DemoTurn[] {
  const messages: unknown[] = [{ role: 'user', content: [{ type: 'text', text: firstUser }] }];
  const turns: DemoTurn[] = [];
  for (let n = 0; n < maxTurns; n++) {
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      system,
      messages,
      tools: tools.map((name) => ({ name, input_schema: { type: 'object' } })),
    };
    const turn = demoTurn(body, bench);
    turns.push(turn);
    const uses = turn.content.filter((b) => b.type === 'tool_use');
    if (uses.length === 0 || uses.some((b) => b.type === 'tool_use' && b.name === 'finish')) return turns;
    const content = turn.content.map((b, i) => (b.type === 'tool_use' ? { ...b, id: `toolu_${n}_${i}` } : b));
    messages.push({ role: 'assistant', content });
    messages.push({
      role: 'user',
      content: content.flatMap((b) =>
        b.type === 'tool_use'
          ? [
              {
                type: 'tool_result',
                tool_use_id: b.id,
                content: results({ name: b.name, input: b.input as Record<string, unknown> }, n),
              },
            ]
          : [],
      ),
    });
  }
  throw new Error('conversation did not end');
}

const callsOf = (turns: DemoTurn[]): Call[] =>
  turns.flatMap((t) =>
    t.content.flatMap((b) =>
      b.type === 'tool_use' ? [{ name: b.name, input: b.input as Record<string, unknown> }] : [],
    ),
  );

const LISTING =
  'total 8\ndrwxr-xr-x 2 root root 4096 Jan  1 00:00 .\n-rw-r--r-- 1 root root  120 Jan  1 00:00 my notes.txt\n[exit code: 0]\n';

describe('demo model', () => {
  let bench: DemoBenchmark;
  beforeAll(async () => {
    bench = await loadDemoBenchmark(STARTER);
  });

  it('tells the meta-agent from the task agent by the real meta-harness prompt', () => {
    expect(META_SYSTEM).toContain(META_MARKER);
    expect(BASELINE_SYSTEM).not.toContain(META_MARKER);
  });

  it('the baseline prompt has no marker, the all-markers prompt has each one once', () => {
    expect(markersIn(BASELINE_SYSTEM)).toEqual([]);
    expect(markersIn(ALL_MARKERS_SYSTEM).map((m) => m.id)).toEqual(MARKERS.map((m) => m.id));
    for (const l of USELESS_LINES) expect(markersIn(`${BASELINE_SYSTEM}\n${l}`)).toEqual([]);
  });

  it('solves a set of tasks that only grows with the marker count: ~1/4, ~3/4, then all', () => {
    const names = bench.tasks.map((t) => t.name);
    const solved = (k: number) => names.filter((n) => demoSolves(n, k));
    expect(solved(0)).toEqual(names.filter((n) => difficulty(n) === 0));
    for (let k = 0; k < MARKERS.length; k++) expect(solved(k + 1)).toEqual(expect.arrayContaining(solved(k)));
    expect(solved(1).length).toBeGreaterThan(solved(0).length);
    expect(solved(2)).toEqual(names);
  });

  it('identifies each starter task from its instruction, whitespace-insensitively, and nothing else', () => {
    for (const t of bench.tasks) {
      expect(identifyTask(t.instruction, bench.tasks)?.name).toBe(t.name);
      expect(identifyTask(`  ${t.instruction.replace(/\n/g, '\n\n')}  `, bench.tasks)?.name).toBe(t.name);
    }
    expect(identifyTask('Write a haiku about the sea.', bench.tasks)).toBeNull();
    expect(firstFileOf(LISTING)).toBe('my notes.txt');
  });

  it('a task agent it solves: explores, runs solve.sh, checks when the prompt asks, and finishes', () => {
    const task = bench.tasks.find((t) => demoSolves(t.name, 0))!;
    const base = callsOf(
      play(
        bench,
        BASELINE_SYSTEM.replace('{{instruction}}', task.instruction),
        task.instruction,
        TASK_TOOLS,
        () => LISTING,
      ),
    );
    expect(base.map((c) => c.name)).toEqual(['bash', 'bash', 'bash', 'finish']);
    expect(base[0]!.input['command']).toBe('pwd && ls -la');
    expect(base[1]!.input['command']).toBe(`cat -- 'my notes.txt'`);
    expect(base[2]!.input['command']).toBe(solveCommand(task.solve!));
    expect(String(base[3]!.input['summary'])).toContain(DEMO_LABEL);
    const better = callsOf(play(bench, ALL_MARKERS_SYSTEM, task.instruction, TASK_TOOLS, () => LISTING));
    expect(better.map((c) => c.name)).toEqual(['bash', 'bash', 'bash', 'bash', 'finish']);
  });

  it('a task agent it does not solve: explores, then gives up with an end_turn message; all markers solve it', () => {
    const task = bench.tasks.find((t) => !demoSolves(t.name, 0))!;
    const turns = play(bench, BASELINE_SYSTEM, task.instruction, TASK_TOOLS, () => LISTING);
    expect(callsOf(turns).map((c) => c.name)).toEqual(['bash', 'bash']);
    const last = turns.at(-1)!.content;
    expect(last).toEqual([{ type: 'text', text: expect.stringContaining(DEMO_LABEL) }]);
    expect(callsOf(play(bench, ALL_MARKERS_SYSTEM, task.instruction, TASK_TOOLS, () => LISTING)).at(-1)!.name).toBe(
      'finish',
    );
  });

  it('the solve command runs the script verbatim (no expansion) under bash', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'demo-solve-'));
    try {
      const script = `#!/bin/bash\nset -euo pipefail\nprintf '%s\\n' '$HOME' "\`echo hi\`" > ${dir}/out.txt\n`;
      const r = spawnSync('bash', ['-c', solveCommand(script)], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(await readFile(path.join(dir, 'out.txt'), 'utf8')).toBe('$HOME\nhi\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const parent = {
    id: 'h-parent',
    parentId: null,
    generation: 0,
    status: 'evaluated' as const,
    trainScore: 0.25,
    taskRewards: {},
    costUsd: 0.1,
    verdict: 'seed',
    rationale: '',
    diff: '',
  };
  const trial = (task: string, reward: number) => ({
    task,
    repeat: 0,
    result: { verifier: { reward } },
    trajectoryJson: '{}',
    verifierLog: '',
  });
  const instruction = (generation: number, proposalIndex: number): string =>
    metaInstruction({
      parentId: 'h-parent',
      generation,
      proposalIndex,
      experiments: [parent],
      trials: [trial('aaa', 1), trial('bbb', 0)],
      hasHints: false,
    });

  it('reads generation, proposal and trials from the real meta instruction', () => {
    expect(parseMetaRun(instruction(3, 1))).toEqual({
      generation: 3,
      proposal: 1,
      trials: [
        { dir: 'trials/aaa/r0', reward: 1 },
        { dir: 'trials/bbb/r0', reward: 0 },
      ],
    });
  });

  it('plans one missing practice, skips ones the log already tried, and sometimes a useless line', () => {
    const run = parseMetaRun(instruction(2, 0));
    const first = planEdit(run, BASELINE_SYSTEM, '');
    expect(first.marker?.id).toBe(MARKERS[0]!.id);
    expect(markersIn(`${BASELINE_SYSTEM}\n${first.line}`)).toHaveLength(1);
    expect(planEdit(run, BASELINE_SYSTEM, `rejected: ${MARKERS[0]!.line}`).marker?.id).toBe(MARKERS[1]!.id);
    expect(planEdit(run, `${BASELINE_SYSTEM}\n${MARKERS[0]!.line}`, '').marker?.id).toBe(MARKERS[1]!.id);
    expect(planEdit(parseMetaRun(instruction(1, 1)), BASELINE_SYSTEM, '').marker?.id).toBe(MARKERS[1]!.id); // siblings differ
    const dud = planEdit(parseMetaRun(instruction(1, 0)), BASELINE_SYSTEM, '');
    expect(dud.marker).toBeNull();
    expect(markersIn(`${BASELINE_SYSTEM}\n${dud.line}`)).toEqual([]);
    expect(planEdit(parseMetaRun(instruction(1, 0)), BASELINE_SYSTEM, `rejected: ${dud.line}`).line).not.toBe(dud.line);
    expect(planEdit(parseMetaRun(instruction(2, 0)), ALL_MARKERS_SYSTEM, '').marker).toBeNull();
  });

  it('a meta-agent run: reads log, harness and a failed trial, appends, validates, finishes citing it', async () => {
    const results: Results = (c) =>
      String(c.input['command'] ?? '').includes('harness/system.md') && !String(c.input['command']).includes('>>')
        ? BASELINE_SYSTEM
        : 'ok';
    const calls = callsOf(play(bench, META_SYSTEM, instruction(2, 0), META_TOOLS, results));
    expect(calls.map((c) => c.name)).toEqual(['bash', 'bash', 'bash', 'bash', 'validate_harness', 'finish']);
    expect(calls[0]!.input['command']).toBe('cat /workspace/experiments.md');
    expect(calls[2]!.input['command']).toContain('/workspace/trials/bbb/r0/trajectory.json');
    expect(calls[3]!.input['command']).toBe(appendCommand(MARKERS[0]!.line));
    expect(String(calls[5]!.input['summary'])).toMatch(/In trials\/bbb\/r0 the task agent stopped without running/);
    // The append command really appends under bash.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'demo-append-'));
    try {
      const file = path.join(dir, 'system.md');
      await writeFile(file, BASELINE_SYSTEM);
      expect(spawnSync('bash', ['-c', appendCommand(MARKERS[0]!.line, file)]).status).toBe(0);
      expect(markersIn(await readFile(file, 'utf8')).map((m) => m.id)).toEqual([MARKERS[0]!.id]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers the planFirst turn and a verifier sub-agent with text; a bad body gets a 400 with the reason', () => {
    const task = bench.tasks[0]!;
    const plan = demoTurn(
      {
        system: BASELINE_SYSTEM,
        messages: [{ role: 'user', content: task.instruction }],
        tool_choice: { type: 'none' },
      },
      bench,
    );
    expect(plan.content).toEqual([{ type: 'text', text: expect.stringContaining('Plan:') }]);
    const verdict = demoTurn(
      { system: 'You review work.', messages: [{ role: 'user', content: 'End with "VERDICT: PASS" if done.' }] },
      bench,
    );
    expect(verdict.content).toEqual([{ type: 'text', text: expect.stringContaining('VERDICT: PASS') }]);
    const script = demoScript(bench) as (r: unknown, i: number) => unknown;
    expect(script({ body: { messages: 'nope' } }, 0)).toEqual({
      error: 'bad_request',
      message: expect.stringContaining('messages'),
    });
    const ok = script(
      { body: { system: BASELINE_SYSTEM, messages: [{ role: 'user', content: task.instruction }] } },
      0,
    ) as { usage: { input_tokens: number; output_tokens: number } };
    expect(ok.usage.input_tokens).toBeGreaterThan(BASELINE_SYSTEM.length / 5);
    expect(ok.usage.output_tokens).toBeGreaterThan(40);
  });

  it('refuses a folder without tasks, naming it', async () => {
    await expect(loadDemoBenchmark(path.join(ROOT, 'src'))).rejects.toThrow(/src: no task folders/);
    await expect(loadDemoBenchmark('/nonexistent-bench')).rejects.toMatchObject({
      name: 'DemoBenchmarkError',
      dir: '/nonexistent-bench',
    });
  });
});
