/**
 * Multi-step tasks (Harbor schema 1.4 `[[steps]]`), against real Docker: steps run in order in one
 * container (state carries over), each with its own instruction, workdir files + setup.sh and tests laid over
 * the task's; per-step results are recorded; `min_reward` stops the rest; the reward follows
 * `multi_step_reward_strategy`. The oracle runs each step's solution.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadTask } from '../../../src/tasks/load';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { scriptAgent } from '../../security/support';
import { harborValidate } from '../../support/harbor';
import { makeTask, requireDocker, tmpDir, containersForTrial } from './support';

const provider = new DockerSandboxProvider();
let outDir: string;

async function multiStepTask(name: string, tomlExtra: string): Promise<Awaited<ReturnType<typeof loadTask>>> {
  const base = await makeTask({ name, toml: 'version = "1.0"\n' });
  const dir = base.dir;
  const w = async (rel: string, text: string, mode = 0o644): Promise<void> => {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text, { mode });
  };
  await fs.rm(path.join(dir, 'instruction.md'));
  await fs.rm(path.join(dir, 'solution'), { recursive: true, force: true });
  await w(
    'task.toml',
    `schema_version = "1.4"\n${tomlExtra}\n[environment]\nmemory_mb = 256\nnetwork_mode = "no-network"\n[agent]\ntimeout_sec = 60\n\n[[steps]]\nname = "one"\n${tomlExtra.includes('GATE') ? 'min_reward = 1\n' : ''}\n[[steps]]\nname = "two"\n`,
  );
  // The task's shared tests/: a helper both steps' test.sh use.
  await w('tests/test.sh', 'echo 0 > /logs/verifier/reward.txt\n', 0o755);
  await w('tests/lib.sh', 'has() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }\n');
  await w('steps/one/instruction.md', 'Write "one" to /app/one.txt.\n');
  await w(
    'steps/one/tests/test.sh',
    '. /tests/lib.sh; if has /app/one.txt one; then echo 1; else echo 0; fi > /logs/verifier/reward.txt\n',
    0o755,
  );
  await w('steps/one/solution/solve.sh', 'echo one > /app/one.txt\n', 0o755);
  await w('steps/two/instruction.md', 'Copy /app/seed.txt to /app/two.txt.\n');
  await w('steps/two/workdir/seed.txt', 'two\n');
  await w('steps/two/workdir/setup.sh', 'touch /app/setup-ran\n', 0o755);
  await w(
    'steps/two/tests/test.sh',
    [
      '. /tests/lib.sh',
      'r=0; has /app/two.txt two && [ -e /app/setup-ran ] && r=1',
      'c=0; has /app/one.txt one && c=1  # state carried over from step one',
      'echo "{\\"reward\\": $r, \\"carried\\": $c}" > /logs/verifier/reward.json',
      '',
    ].join('\n'),
    0o755,
  );
  await w('steps/two/solution/solve.sh', 'cp /app/seed.txt /app/two.txt\n', 0o755);
  return loadTask(dir);
}

// Does step two's work when its seed file is there, else step one's (the same script runs each step).
const STEP_AGENT = 'if [ -f /app/seed.txt ]; then cp /app/seed.txt /app/two.txt; else echo one > /app/one.txt; fi';

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-multistep-');
}, 120_000);

test('the oracle solves every step: per-step results, state carried over, the mean reward', async () => {
  const task = await multiStepTask('multi-oracle', '');
  expect(task.steps?.map((s) => s.name)).toEqual(['one', 'two']);
  await provider.ensureImage(task);
  const r = await runTrial({ task, agent: 'oracle', repeat: 0, outDir, provider });
  expect(r).toMatchObject({ reward: 1, error: null });
  expect(r.steps?.map((s) => [s.name, s.reward])).toEqual([
    ['one', 1],
    ['two', 1],
  ]);
  expect(r.steps?.[1]?.rewards).toEqual({ reward: 1, carried: 1 });
  expect(r.verifier.rewards).toEqual({ reward: 1, carried: 0.5 }); // `carried` is missing from step one: 0 there
  // Harbor's own models read the trial folder, step results and the trajectory with its step markers.
  const trialDir = path.join(outDir, r.trialId);
  const report = await harborValidate([path.join(trialDir, 'result.json')], 'trial-result');
  expect(report.errors).toEqual([]);
  expect((await harborValidate([path.join(trialDir, 'agent', 'trajectory.json')], 'trajectory')).errors).toEqual([]);
  const harborResult = JSON.parse(await fs.readFile(path.join(trialDir, 'result.json'), 'utf8')) as {
    step_results: { step_name: string }[];
  };
  expect(harborResult.step_results.map((x) => x.step_name)).toEqual(['one', 'two']);
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
}, 300_000);

test('a step below its min_reward stops the rest', async () => {
  const task = await multiStepTask('multi-gate', '# GATE');
  const agent = scriptAgent('true'); // does nothing: step one scores 0
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(r.steps?.map((s) => s.name)).toEqual(['one']);
  expect(r.reward).toBe(0);
  expect(agent.runs).toHaveLength(1);
}, 300_000);

test('final vs mean: a failed first step counts in the mean, not in the final reward', async () => {
  const failFirst = 'if [ -f /app/seed.txt ]; then cp /app/seed.txt /app/two.txt; fi';
  const mean = await multiStepTask('multi-mean', '');
  const m = await runTrial({
    task: mean,
    agent: 'noop',
    repeat: 0,
    outDir,
    provider,
    runAgent: scriptAgent(failFirst).runner,
  });
  expect(m.steps?.map((s) => s.reward)).toEqual([0, 1]);
  expect(m.reward).toBe(0.5);
  const final = await multiStepTask('multi-final', 'multi_step_reward_strategy = "final"');
  const f = await runTrial({
    task: final,
    agent: 'noop',
    repeat: 0,
    outDir,
    provider,
    runAgent: scriptAgent(failFirst).runner,
  });
  expect(f.reward).toBe(1);
  const both = await runTrial({
    task: mean,
    agent: 'noop',
    repeat: 1,
    outDir,
    provider,
    runAgent: scriptAgent(STEP_AGENT).runner,
  });
  expect(both.reward).toBe(1);
}, 300_000);

test.each([
  ['shared', ''],
  ['separate', '[verifier]\nenvironment_mode = "separate"\n'],
])(
  "each step's artifacts (the task's, the step's own, /logs/artifacts) land in steps/<name>/artifacts/ (%s verifier)",
  async (mode, verifierToml) => {
    const task = await multiStepTask(`multi-artifacts-${mode}`, '');
    // The same task, with artifacts declared at the task and on each step (a path, or Harbor's {source = ...}).
    const toml = await fs.readFile(path.join(task.dir, 'task.toml'), 'utf8');
    await fs.writeFile(
      path.join(task.dir, 'task.toml'),
      toml
        .replace('schema_version = "1.4"\n', `schema_version = "1.4"\nartifacts = ["/app"]\n${verifierToml}`)
        .replace('name = "one"\n', 'name = "one"\nartifacts = ["/srv/one"]\n')
        .replace('name = "two"\n', 'name = "two"\nartifacts = [{ source = "/srv/two" }]\n'),
    );
    // Step one's tests leave a file in /logs/artifacts: Harbor 0.26 collects a step's artifacts before its tests.
    const stepOneTests = path.join(task.dir, 'steps/one/tests/test.sh');
    await fs.appendFile(stepOneTests, 'mkdir -p /logs/artifacts && echo tests > /logs/artifacts/tested-one.txt\n');
    const t = await loadTask(task.dir);
    expect(t.steps?.map((s) => s.config.artifacts)).toEqual([['/srv/one'], ['/srv/two']]);
    await provider.ensureImage(t);
    const agent = scriptAgent(
      `${STEP_AGENT}; s=$([ -f /app/seed.txt ] && echo two || echo one); mkdir -p /srv/$s /logs/artifacts && echo "$s" > /srv/$s/made.txt && echo "$s" > /logs/artifacts/last.txt`,
    );
    const r = await runTrial({ task: t, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
    expect(r).toMatchObject({ reward: 1, error: null });
    expect(r.steps?.map((s) => [s.name, s.artifacts?.map((a) => a.source)])).toEqual([
      ['one', ['/app', '/srv/one', '/logs/artifacts']],
      ['two', ['/app', '/srv/two', '/logs/artifacts']],
    ]);
    const at = (rel: string) => fs.readFile(path.join(outDir, r.trialId, rel), 'utf8').catch(() => null);
    expect(await at('steps/one/artifacts/srv/one/made.txt')).toBe('one\n');
    expect(await at('steps/one/artifacts/logs/artifacts/last.txt')).toBe('one\n');
    expect(await at('steps/one/artifacts/app/one.txt')).toBe('one\n');
    expect(await at('steps/one/artifacts/app/two.txt')).toBeNull(); // step one's copy is taken before step two ran
    expect(await at('steps/two/artifacts/srv/two/made.txt')).toBe('two\n');
    expect(await at('steps/two/artifacts/logs/artifacts/last.txt')).toBe('two\n');
    expect(await at('steps/two/artifacts/app/two.txt')).toBe('two\n');
    expect(await at('steps/two/artifacts/srv/one/made.txt')).toBeNull(); // a step collects its own paths only
    expect(await at('steps/one/artifacts/logs/artifacts/tested-one.txt')).toBeNull(); // taken before the tests
    // A shared verifier's /logs/artifacts is the agent's: step two's collection finds it; a separate one's is not.
    expect(await at('steps/two/artifacts/logs/artifacts/tested-one.txt')).toBe(mode === 'shared' ? 'tests\n' : null);
    // Each step's verifier output and reward, in Harbor's steps/<name>/verifier/.
    expect(await at('steps/one/verifier/reward.txt')).toBe('1\n');
    expect(await at('steps/two/verifier/reward.txt')).toBe('1\n');
    expect(await at('steps/one/verifier/test-stdout.txt')).not.toBeNull();
    expect(await containersForTrial(r.trialId)).toHaveLength(0);
  },
  300_000,
);
