/**
 * Harbor's `[verifier] environment_mode = "separate"`: the tests run in a fresh container of the task's
 * image, given only the agent's artifacts (src/trial/separate-verifier.ts). Nothing else the agent did can
 * reach them — a replaced grep, a detached writer — while its declared outputs are judged as it left them.
 */
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { Task } from '../../src/tasks/types';
import { runTrial } from '../../src/trial/run-trial';
import { containersForTrial } from '../integration/docker/support';
import { GREP_TEST_SH, makeTask, requireDocker, scriptAgent, tmpDir } from './support';

const provider = new DockerSandboxProvider();
const TOML =
  'version = "1.0"\nartifacts = ["/app"]\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n[verifier]\nenvironment_mode = "separate"\n';
let outDir: string;
let task: Task;
let big: Task;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-sec-sep-');
  // The tests also require that the agent removed /app/stale.txt: a deletion must reach the verifier too.
  task = await makeTask({
    name: 'sec-separate',
    toml: TOML,
    dockerfile: 'FROM debian:bookworm-slim\nWORKDIR /app\nRUN echo old > /app/stale.txt\n',
    testSh: `[ ! -e /app/stale.txt ] || { echo 0 > /logs/verifier/reward.txt; exit 0; }\n${GREP_TEST_SH}`,
  });
  big = await makeTask({
    name: 'sec-separate-big',
    toml: TOML.replace('memory_mb = 256', 'memory_mb = 256\nstorage_mb = 50'),
    dockerfile: 'FROM debian:bookworm-slim\nWORKDIR /app\nRUN head -c 60000000 /dev/zero > /app/big.bin\n',
  });
  await provider.ensureImage(task);
  await provider.ensureImage(big);
}, 300_000);

test('the honest agent is judged on its artifacts: writes and deletions both reach the verifier', async () => {
  const r = await runTrial({
    task,
    agent: 'noop',
    repeat: 0,
    outDir,
    provider,
    runAgent: scriptAgent('echo hello > /app/out.txt && rm /app/stale.txt').runner,
  });
  expect(r).toMatchObject({ reward: 1, error: null });
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
});

test("a replaced /usr/bin/grep never reaches the verifier's fresh container", async () => {
  const agent = scriptAgent(
    "rm /app/stale.txt && printf '#!/bin/sh\\nexit 0\\n' > /usr/bin/grep && grep -qx hello /nonexistent && echo forged-grep-works",
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 1, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('forged-grep-works');
  expect(r).toMatchObject({ reward: 0, error: null, verifier: { exitCode: 0 } });
});

test("a detached reward writer lives in the agent's container only", async () => {
  const loop = 'while :; do mkdir -p /logs/verifier; echo 1 > /logs/verifier/reward.txt; sleep 0.002; done';
  const agent = scriptAgent(`rm /app/stale.txt; ( setsid nohup sh -c '${loop}' >/dev/null 2>&1 & ); sleep 0.3`);
  const r = await runTrial({ task, agent: 'noop', repeat: 2, outDir, provider, runAgent: agent.runner });
  expect(r.reward).toBe(0);
});

test("an artifact bigger than the task's storage is refused with ArtifactTooLargeError", async () => {
  const r = await runTrial({
    task: big,
    agent: 'noop',
    repeat: 0,
    outDir,
    provider,
    runAgent: scriptAgent('echo hello > /app/out.txt').runner,
  });
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^ArtifactTooLargeError: artifact \/app is over 52428800 bytes/);
  expect(r.failure).toMatchObject({ phase: 'verifier', type: 'ArtifactTooLargeError' });
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
});

describe("the verifier's own image (Harbor's precedence)", () => {
  // The tests pass only where the verifier's image marks itself, and only on the agent's artifact.
  const MARKED_TEST_SH = `[ -e /etc/verifier-image ] || { echo 0 > /logs/verifier/reward.txt; exit 0; }\n${GREP_TEST_SH}`;

  test("tests/Dockerfile builds the verifier's image, from tests/", async () => {
    const own = await makeTask({
      name: 'sec-separate-own-image',
      toml: TOML,
      testSh: MARKED_TEST_SH,
      extraTests: { Dockerfile: 'FROM debian:bookworm-slim\nRUN touch /etc/verifier-image\n' },
    });
    const r = await runTrial({
      task: own,
      agent: 'noop',
      repeat: 0,
      outDir,
      provider,
      runAgent: scriptAgent('mkdir -p /app && echo hello > /app/out.txt').runner,
    });
    expect(r).toMatchObject({ reward: 1, error: null });
    // The agent's container had no marker: the agent phase ran on the task's image, not the verifier's.
    const probe = scriptAgent('test -e /etc/verifier-image && echo marked || echo unmarked');
    await runTrial({ task: own, agent: 'noop', repeat: 1, outDir, provider, runAgent: probe.runner });
    expect(probe.runs[0]?.stdout).toContain('unmarked');
  }, 300_000);

  test('[verifier.environment].docker_image names it; without a marker the same tests score 0', async () => {
    const marked = await makeTask({
      name: 'sec-verifier-marked',
      dockerfile: 'FROM debian:bookworm-slim\nRUN touch /etc/verifier-image\n',
    });
    const image = (await provider.ensureImage(marked)).image;
    const named = await makeTask({
      name: 'sec-separate-named-image',
      testSh: MARKED_TEST_SH,
      toml: `${TOML.replace('environment_mode = "separate"\n', '')}[verifier.environment]\ndocker_image = "${image}"\nmemory_mb = 256\nallow_internet = false\n`,
    });
    expect(named.config.verifier.environmentMode).toBe('separate');
    const r = await runTrial({
      task: named,
      agent: 'noop',
      repeat: 0,
      outDir,
      provider,
      runAgent: scriptAgent('mkdir -p /app && echo hello > /app/out.txt').runner,
    });
    expect(r).toMatchObject({ reward: 1, error: null });
    const plain = await makeTask({ name: 'sec-separate-task-image', toml: TOML, testSh: MARKED_TEST_SH });
    const p = await runTrial({
      task: plain,
      agent: 'noop',
      repeat: 0,
      outDir,
      provider,
      runAgent: scriptAgent('echo hello > /app/out.txt').runner,
    });
    expect(p.reward).toBe(0);
  }, 300_000);
});
