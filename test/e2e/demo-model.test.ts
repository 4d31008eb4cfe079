/**
 * The offline demo model end to end: the fake server's CLI in --demo mode, and the built `autoagent eval`
 * pointed at it, running real Docker trials on two starter tasks. With the baseline harness the demo agent
 * solves only the tasks the design says it solves with no good-practice marker; with a harness whose
 * system.md has every marker it solves both — graded by the tasks' real verifiers. Costs show.
 * Needs Docker and a built dist/: fails (does not skip) without Docker.
 */
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MARKERS, demoSolves } from '../../src/llm/fake-server/demo-markers';
import { DEMO_LABEL } from '../../src/llm/fake-server/demo-task';
import { ROOT, ensureBuilt, jsonLines, runCli, startFakeServerCli, type FakeServerProcess } from './support/cli';

const STARTER = path.join(ROOT, 'benchmarks/tasks/starter');
const BASELINE = path.join(ROOT, 'benchmarks/harnesses/baseline');
/** One task the demo solves with the baseline harness, one it solves only with a better one. */
const TASKS = ['python-inventory-bug', 'text-word-frequency'];

describe('demo model (fake-server --demo, built CLI, real Docker)', () => {
  let tmp = '';
  let server: FakeServerProcess | null = null;
  const log = (): string => server?.log() ?? '';

  beforeAll(async () => {
    await ensureBuilt();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-demo-e2e-'));
    for (const t of TASKS) await cp(path.join(STARTER, t), path.join(tmp, 'bench', t), { recursive: true });
    await cp(BASELINE, path.join(tmp, 'better'), { recursive: true });
    await appendFile(path.join(tmp, 'better', 'system.md'), `\n${MARKERS.map((m) => m.line).join('\n')}\n`);
    server = await startFakeServerCli(['--demo', path.join(tmp, 'bench')]);
  }, 240_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const evalWith = async (harness: string, out: string) => {
    const r = await runCli(
      [
        'eval',
        path.join(tmp, 'bench'),
        '--harness',
        harness,
        '--json',
        '--concurrency',
        '2',
        '--out',
        path.join(tmp, out),
      ],
      { baseUrl: server!.url, temporal: false },
      200_000,
    );
    expect(r.stderr).not.toContain('autoagent:');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout, { strict: true });
    const trials = lines.filter((l) => l['type'] === 'trial');
    return {
      rewards: Object.fromEntries(trials.map((t) => [String(t['task']), t['reward']])),
      trials,
      summary: lines.at(-1)!,
    };
  };

  it('says what it is on start', () => {
    expect(log()).toContain('scripted stand-in model (not a real LLM)');
  });

  it('the baseline harness solves the designed subset; the all-markers harness solves more, for real', async () => {
    expect(TASKS.map((t) => demoSolves(t, 0))).toEqual([true, false]); // the design this test exercises
    const base = await evalWith(BASELINE, 'baseline');
    expect(base.rewards).toEqual(Object.fromEntries(TASKS.map((t) => [t, demoSolves(t, 0) ? 1 : 0])));
    const better = await evalWith(path.join(tmp, 'better'), 'better');
    expect(better.rewards).toEqual(Object.fromEntries(TASKS.map((t) => [t, 1])));
    expect(Number(better.summary['meanReward'])).toBeGreaterThan(Number(base.summary['meanReward']));

    for (const t of [...base.trials, ...better.trials]) {
      expect(t['error']).toBeNull();
      expect(Number(t['costUsd'])).toBeGreaterThan(0);
      expect(t['stopReason']).toBe(t['reward'] === 1 ? 'finished' : 'end_turn');
      expect(await readFile(String(t['trajectoryPath']), 'utf8')).toContain(DEMO_LABEL.slice(1, -1));
    }
    expect(log()).toMatch(/demo-model: call \d+ text-word-frequency \(markers 4, solves\): finish/);
  }, 400_000);
});
