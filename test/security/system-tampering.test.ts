/**
 * Attack: the agent changes the system the verifier relies on (here: replaces /usr/bin/grep, which the
 * tests use, or shadows it earlier on PATH) so the tests pass without the task being done. Stopped by the
 * filesystem diff against the image between the agent and the verifier (src/trial/guard.ts,
 * src/verifier/tampering.ts): reward 0 with RewardTamperingError naming what changed. Paths a task declares
 * as its work area ([agent].writable_paths) and normal agent work (/tmp, /root, the workdir) are not flagged.
 */
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { Task } from '../../src/tasks/types';
import { runTrial } from '../../src/trial/run-trial';
import { GREP_TEST_SH, makeTask, requireDocker, scriptAgent, tmpDir } from './support';

const provider = new DockerSandboxProvider();
const TOML = 'version = "1.0"\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n';
let outDir: string;
let task: Task;
let declared: Task;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-sec-fs-');
  task = await makeTask({ name: 'sec-grep', testSh: GREP_TEST_SH, toml: TOML });
  declared = await makeTask({
    name: 'sec-grep-declared',
    testSh: GREP_TEST_SH,
    toml: `${TOML}writable_paths = ["/usr/local"]\n`,
  });
  await provider.ensureImage(task);
  await provider.ensureImage(declared);
}, 300_000);

const FAKE_GREP = "printf '#!/bin/sh\\nexit 0\\n' > %s && chmod 755 %s";

test('an agent that replaces /usr/bin/grep gets reward 0 and a RewardTamperingError naming it', async () => {
  const agent = scriptAgent(
    `${FAKE_GREP.replace(/%s/g, '/usr/bin/grep')} && grep -qx hello /nonexistent && echo forged-grep-works`,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('forged-grep-works');
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^RewardTamperingError: .*\/usr\/bin\/grep/);
  expect(r.failure).toMatchObject({ phase: 'verifier', type: 'RewardTamperingError' });
  expect(r.failure?.message).toContain('/usr/bin/grep');
});

test('shadowing grep earlier on PATH (/usr/local/bin/grep) is tampering too', async () => {
  const agent = scriptAgent(
    `${FAKE_GREP.replace(/%s/g, '/usr/local/bin/grep')} && grep -qx hello /nonexistent && echo forged-grep-works`,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 1, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('forged-grep-works');
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^RewardTamperingError: .*\/usr\/local\/bin\/grep/);
});

test('deleting a system file the tests may need is tampering', async () => {
  const agent = scriptAgent('echo hello > /app/out.txt && rm /etc/debian_version');
  const r = await runTrial({ task, agent: 'noop', repeat: 2, outDir, provider, runAgent: agent.runner });
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^RewardTamperingError: .*\/etc\/debian_version \(deleted\)/);
});

test('normal work (workdir, /tmp, /root, /home, /var/tmp, /var/log) is not tampering', async () => {
  const agent = scriptAgent(
    [
      'echo hello > /app/out.txt',
      'mkdir -p /app/build && echo x > /app/build/o',
      'echo t > /tmp/scratch',
      'echo r > /root/.bash_history',
      'mkdir -p /home/u && echo h > /home/u/f',
      'echo v > /var/tmp/v',
      'echo l > /var/log/agent.log',
    ].join(' && '),
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 3, outDir, provider, runAgent: agent.runner });
  expect(r).toMatchObject({ reward: 1, error: null, failure: null });
});

test('changes under a path the task declares as its work area ([agent].writable_paths) are allowed', async () => {
  const agent = scriptAgent(
    "echo hello > /app/out.txt && printf '#!/bin/sh\\necho tool\\n' > /usr/local/bin/mytool && chmod 755 /usr/local/bin/mytool",
  );
  const r = await runTrial({ task: declared, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(r).toMatchObject({ reward: 1, error: null });
  // ...but the rest of the system stays protected.
  const evil = scriptAgent(FAKE_GREP.replace(/%s/g, '/usr/bin/grep'));
  const r2 = await runTrial({ task: declared, agent: 'noop', repeat: 1, outDir, provider, runAgent: evil.runner });
  expect(r2.reward).toBe(0);
  expect(r2.error).toMatch(/^RewardTamperingError: .*\/usr\/bin\/grep/);
});
