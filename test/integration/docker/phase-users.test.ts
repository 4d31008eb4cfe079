/**
 * Harbor's `[agent].user` and `[verifier].user` against real Docker: the agent's commands run as the agent
 * user and its file tools can do no more than that user's shell (src/sandbox/as-user.ts); the verifier's
 * tests run as the verifier user, with /logs/verifier theirs to write; a step overrides both.
 */
import { asUser } from '../../../src/sandbox/as-user';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { scriptAgent } from '../../security/support';
import { containersForTrial, makeTask, requireDocker, tmpDir } from './support';

const provider = new DockerSandboxProvider();
let outDir: string;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-phase-users-');
}, 120_000);

const DOCKERFILE = 'FROM debian:bookworm-slim\nWORKDIR /app\nRUN chmod 777 /app\n';
// Passes only when the tests run as `nobody` and the agent (as whoever the task says) wrote /app/out.txt.
const TEST_AS_NOBODY =
  'if [ "$(id -un)" = nobody ] && [ "$(cat /app/out.txt 2>/dev/null)" = hello ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n';

test('the agent runs as [agent].user and the tests as [verifier].user', async () => {
  const task = await makeTask({
    name: 'phase-users',
    dockerfile: DOCKERFILE,
    toml: 'version = "1.0"\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\nuser = "nobody"\n[verifier]\ntimeout_sec = 30\nuser = 65534\n',
    testSh: TEST_AS_NOBODY,
  });
  expect(task.config.agent.user).toBe('nobody');
  expect(task.config.verifier.user).toBe('65534');
  await provider.ensureImage(task);
  const agent = scriptAgent(
    'echo "agent=$(id -un)"; touch /root/planted 2>/dev/null || echo "no root"; echo hello > /app/out.txt',
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toBe('agent=nobody\nno root\n');
  expect(r).toMatchObject({ reward: 1, error: null });
  expect(await containersForTrial(r.trialId)).toHaveLength(0);

  // The same task without the users: the tests run as root (the image's USER), so they fail.
  const rootTask = await makeTask({ name: 'phase-root', dockerfile: DOCKERFILE, testSh: TEST_AS_NOBODY });
  await provider.ensureImage(rootTask);
  const asRoot = scriptAgent('echo "agent=$(id -un)"; echo hello > /app/out.txt');
  const r0 = await runTrial({ task: rootTask, agent: 'noop', repeat: 0, outDir, provider, runAgent: asRoot.runner });
  expect(asRoot.runs[0]?.stdout).toBe('agent=root\n');
  expect(r0.reward).toBe(0);
}, 300_000);

test("a user's file tools can do what its shell can, and no more", async () => {
  const task = await makeTask({ name: 'user-files', dockerfile: DOCKERFILE });
  const { image } = await provider.ensureImage(task);
  const box = await provider.start(task, { image, trialId: `h2-user-files-${process.pid}` });
  try {
    const user = asUser(box, 'nobody');
    await user.putFile('/app/notes/a.txt', 'mine\n', 0o600);
    expect((await box.exec('stat -c "%U %a" /app/notes/a.txt')).stdout).toBe('nobody 600\n');
    expect((await user.getFile('/app/notes/a.txt'))?.toString()).toBe('mine\n');
    await box.putFile('/app/root-owned.txt', 'root\n');
    await expect(user.putFile('/app/root-owned.txt', 'overwritten\n')).rejects.toThrow(
      /user nobody may not write \/app\/root-owned\.txt/,
    );
    await expect(user.putFile('/etc/planted', 'x')).rejects.toThrow(/user nobody may not write \/etc\/planted/);
    expect(await box.getFile('/etc/planted')).toBeNull();
    await expect(user.getFile('/etc/shadow')).rejects.toThrow(/user nobody may not read \/etc\/shadow/);
    expect(await user.getFile('/app/missing.txt')).toBeNull();
    expect((await user.exec('id -un')).stdout).toBe('nobody\n');
    expect((await user.exec('id -un', { user: '0' })).stdout).toBe('root\n');
    expect(asUser(box, undefined)).toBe(box);
    // Nothing staged is left behind.
    expect((await box.exec('ls -d /tmp/.autoagent-stage-* 2>/dev/null | wc -l')).stdout.trim()).toBe('0');
  } finally {
    await box.remove();
  }
}, 300_000);
