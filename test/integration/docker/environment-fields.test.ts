/**
 * Harbor 1.4 [environment] fields that change what a trial sees, against real Docker: `env` reaches the
 * container (and no host variable does), `network_mode = "no-network"` leaves only loopback, and a
 * `healthcheck` gates the agent — passing after a few tries, or failing the trial in phase `start`.
 */
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { scriptAgent } from '../../security/support';
import { makeTask, requireDocker, tmpDir, containersForTrial } from './support';

const provider = new DockerSandboxProvider();
let outDir: string;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-env-fields-');
}, 120_000);

// Each try counts itself in /tmp/n and passes from the third on.
const FLAKY_UNTIL_THIRD = 'n=$(cat /tmp/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/n; [ $n -ge 3 ]';

test("env and no-network reach the container: the task's variables only, loopback only", async () => {
  process.env.AUTOAGENT_HOST_ONLY_SECRET = 'must-not-leak';
  const task = await makeTask({
    name: 'env-fields',
    toml: 'version = "1.0"\n[environment]\nmemory_mb = 256\nnetwork_mode = "no-network"\nenv = { GREETING = "hello" }\n[agent]\ntimeout_sec = 60\n',
  });
  await provider.ensureImage(task);
  const agent = scriptAgent(
    'echo "$GREETING" > /app/out.txt; echo "secret=${AUTOAGENT_HOST_ONLY_SECRET:-none}"; ls /sys/class/net | tr "\\n" " "',
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  delete process.env.AUTOAGENT_HOST_ONLY_SECRET;
  expect(r).toMatchObject({ reward: 1, error: null });
  expect(agent.runs[0]?.stdout).toContain('secret=none');
  expect(agent.runs[0]?.stdout).toMatch(/^lo $/m);
}, 300_000);

test('a healthcheck that passes on its third try lets the agent start; one allowed two tries fails the trial in phase start', async () => {
  const toml = (retries: number): string =>
    `version = "1.0"\n[environment]\nmemory_mb = 256\nallow_internet = false\n[environment.healthcheck]\ncommand = '${FLAKY_UNTIL_THIRD}'\ninterval_sec = 0.1\nretries = ${retries}\n[agent]\ntimeout_sec = 60\n`;
  const healthy = await makeTask({ name: 'hc-ok', toml: toml(3) });
  await provider.ensureImage(healthy);
  const ok = await runTrial({
    task: healthy,
    agent: 'noop',
    repeat: 0,
    outDir,
    provider,
    runAgent: scriptAgent('cat /tmp/n; echo hello > /app/out.txt').runner,
  });
  expect(ok).toMatchObject({ reward: 1, error: null });

  const unhealthy = await makeTask({ name: 'hc-bad', toml: toml(2) });
  const agent = scriptAgent('echo hello > /app/out.txt');
  const bad = await runTrial({ task: unhealthy, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(bad.reward).toBe(0);
  expect(bad.failure).toMatchObject({ phase: 'start', type: 'HealthcheckError' });
  expect(bad.error).toMatch(/^HealthcheckError: healthcheck failed 2 time\(s\) in a row/);
  expect(agent.runs).toHaveLength(0); // the agent never started
  expect(await containersForTrial(bad.trialId)).toHaveLength(0);
}, 300_000);

test("artifacts: the task's paths and /logs/artifacts are copied into the trial folder and listed on the record", async () => {
  const task = await makeTask({
    name: 'artifact-collect',
    toml: 'version = "1.0"\nartifacts = ["/app/report"]\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n',
  });
  await provider.ensureImage(task);
  const agent = scriptAgent(
    'mkdir -p /app/report /logs/artifacts && echo findings > /app/report/summary.md && echo note > /logs/artifacts/notes.txt && echo hello > /app/out.txt',
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(r).toMatchObject({ reward: 1, error: null });
  expect(r.artifacts?.map((a) => a.source).sort()).toEqual(['/app/report', '/logs/artifacts']);
  const { readFile } = await import('node:fs/promises');
  const pathMod = await import('node:path');
  const trialDir = pathMod.join(outDir, r.trialId);
  expect(await readFile(pathMod.join(trialDir, 'artifacts/app/report/summary.md'), 'utf8')).toBe('findings\n');
  expect(await readFile(pathMod.join(trialDir, 'artifacts/logs/artifacts/notes.txt'), 'utf8')).toBe('note\n');
}, 300_000);

test('a top-level artifact path (artifacts = ["/app"], as the starter tasks declare) is copied too', async () => {
  const task = await makeTask({
    name: 'artifact-top',
    toml: 'version = "1.0"\nartifacts = ["/app"]\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n',
  });
  await provider.ensureImage(task);
  const r = await runTrial({
    task,
    agent: 'noop',
    repeat: 0,
    outDir,
    provider,
    runAgent: scriptAgent('echo hello > /app/out.txt').runner,
  });
  expect(r).toMatchObject({ reward: 1, error: null, artifacts: [{ source: '/app', bytes: 6 }] });
  const { readFile } = await import('node:fs/promises');
  const pathMod = await import('node:path');
  expect(await readFile(pathMod.join(outDir, r.trialId, 'artifacts/app/out.txt'), 'utf8')).toBe('hello\n');
}, 300_000);
