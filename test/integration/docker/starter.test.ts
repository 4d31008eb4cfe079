/**
 * The starter benchmark is sound: for every task the oracle (solution/solve.sh) scores 1 and the no-op
 * agent scores 0 — so rewards measure the agent, not the tasks. Real Docker; images are cached by tag.
 */
import * as path from 'node:path';
import { loadBenchmark } from '../../../src/tasks/load';
import type { Task } from '../../../src/tasks/types';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { requireDocker, tmpDir } from './support';

const STARTER = path.resolve(__dirname, '../../../benchmarks/tasks/starter');
const provider = new DockerSandboxProvider();
let tasks: Task[] = [];
let outDir: string;

beforeAll(async () => {
  await requireDocker();
  tasks = await loadBenchmark(STARTER);
  outDir = await tmpDir('aa-h2-starter-');
  // Build (or find) every image up front, one at a time: builds are the heavy part on a small machine.
  for (const t of tasks) await provider.ensureImage(t);
}, 1_800_000);

test('the starter benchmark has tasks', () => {
  expect(tasks.length).toBeGreaterThanOrEqual(5);
});

test('oracle passes every starter task and noop fails every one', async () => {
  const rows: string[] = [];
  for (const task of tasks) {
    const oracle = await runTrial({ task, agent: 'oracle', repeat: 0, outDir, provider });
    const noop = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider });
    rows.push(
      `${task.name}: oracle=${oracle.reward}${oracle.error ? ` (${oracle.error})` : ''} noop=${noop.reward}${noop.error ? ` (${noop.error})` : ''}`,
    );
  }
  const expected = tasks.map((t) => `${t.name}: oracle=1 noop=0`);
  expect(rows).toEqual(expected);
}, 1_800_000);
