/**
 * A multi-container task (Harbor's environment/docker-compose.yaml): a service beside the agent's container,
 * reached by name on a per-trial network, with `main`'s environment from the file; everything — service
 * containers and the network — is gone after the trial, and a dead owner's leftovers are reaped by label.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { processStartTicks } from '../../../src/sandbox/owner';
import { DockerSandboxProvider, LABEL } from '../../../src/sandbox/provider';
import { runTrial } from '../../../src/trial/run-trial';
import { scriptAgent } from '../../security/support';
import { docker, makeTask, requireDocker, requireStandin, tmpDir } from './support';

const provider = new DockerSandboxProvider();
let outDir: string;

const COMPOSE = `services:
  main:
    environment:
      SERVICE_URL: web:8000
  web:
    build: ./web
`;
const WEB_IMAGE = 'python:3.13-slim-bookworm'; // the service's base: a local stand-in here (no registry)
const WEB_DOCKERFILE = `FROM ${WEB_IMAGE}\nRUN mkdir /srv/site && echo service-hello > /srv/site/index.html\nWORKDIR /srv/site\nCMD ["python3", "-m", "http.server", "8000"]\n`;
// bash's /dev/tcp: the agent's image has no curl. Retries until the service listens.
const FETCH =
  'host=${SERVICE_URL%:*}; port=${SERVICE_URL#*:}; for i in $(seq 1 100); do if exec 3<>/dev/tcp/$host/$port; then printf "GET / HTTP/1.0\\r\\n\\r\\n" >&3; cat <&3 | tail -n 1 > /app/out.txt; break; fi; sleep 0.3; done; cat /app/out.txt';

async function composeTask(name: string, network: string): Promise<Awaited<ReturnType<typeof makeTask>>> {
  const task = await makeTask({
    name,
    toml: `version = "1.0"\n[environment]\nmemory_mb = 256\nnetwork_mode = "${network}"\n[agent]\ntimeout_sec = 120\n`,
    testSh:
      'if grep -qx service-hello /app/out.txt; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n',
  });
  await fs.writeFile(path.join(task.paths.environmentDir, 'docker-compose.yaml'), COMPOSE);
  await fs.mkdir(path.join(task.paths.environmentDir, 'web'));
  await fs.writeFile(path.join(task.paths.environmentDir, 'web', 'Dockerfile'), WEB_DOCKERFILE);
  const { loadTask } = await import('../../../src/tasks/load');
  return loadTask(task.dir); // reloaded: the hash covers the compose files
}

const leftovers = async (trialId: string): Promise<{ containers: number; networks: number }> => ({
  containers: (await docker.listContainers({ all: true, filters: { label: [`${LABEL.trial}=${trialId}`] } })).length,
  networks: (await docker.listNetworks({ filters: { label: [`${LABEL.trial}=${trialId}`] } })).length,
});

beforeAll(async () => {
  await requireDocker();
  requireStandin(WEB_IMAGE); // docker-compose builds `web` FROM it and would otherwise go to a registry
  outDir = await tmpDir('aa-compose-task-');
}, 120_000);

test.each([['no-network'], ['public']])(
  'network %s: the agent reaches the service by name; nothing is left after the trial',
  async (network) => {
    const task = await composeTask(`compose-${network}`, network);
    await provider.ensureImage(task);
    const agent = scriptAgent(FETCH);
    const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
    expect(agent.runs[0]?.stdout).toContain('service-hello');
    expect(r).toMatchObject({ reward: 1, error: null });
    expect(await leftovers(r.trialId)).toEqual({ containers: 0, networks: 0 });
  },
  600_000,
);

/**
 * A provider whose sandboxes name another process as their owner, as a worker's would. The owner lives until the
 * test kills it: a dead owner from the start would let any other test file's reaper (they run in parallel)
 * remove the sandbox before this one has looked at it.
 */
class ForeignOwnerProvider extends DockerSandboxProvider {
  constructor(private readonly owner: ChildProcess) {
    super();
  }
  protected override labelsFor(trialId: string): Record<string, string> {
    return {
      ...super.labelsFor(trialId),
      [LABEL.pid]: String(this.owner.pid),
      [LABEL.started]: processStartTicks(this.owner.pid!)!,
    };
  }
}

test('the services of a sandbox whose owner died are reaped with it', async () => {
  const task = await composeTask('compose-reap', 'no-network');
  const owner = spawn('sleep', ['600'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => owner.once('exit', resolve));
  try {
    const foreign = new ForeignOwnerProvider(owner);
    const img = await foreign.ensureImage(task);
    await foreign.start(task, { image: img.image, trialId: 'reap-me' }); // never removed, as by a killed worker
    expect((await leftovers('reap-me')).containers).toBe(2); // main + web
    owner.kill('SIGKILL');
    await exited;
    await provider.reapOrphans(); // another test file's reaper may take some first: the verdict is what is left
    expect(await leftovers('reap-me')).toEqual({ containers: 0, networks: 0 });
  } finally {
    owner.kill('SIGKILL'); // after a failed assertion: the owner must be gone for the reaper to clean up
    await exited;
    await provider.reapOrphans().catch(() => undefined);
  }
}, 600_000);

test.each([['shared'], ['separate']])(
  '[[verifier.collect]] hooks and a service artifact (%s verifier): main hooks first, best effort, recorded',
  async (mode) => {
    const task = await makeTask({
      name: `compose-collect-${mode}`,
      toml: [
        'version = "1.0"',
        'artifacts = ["/app", { source = "/var/db/state.txt", service = "db" }]',
        '[environment]\nmemory_mb = 256\nnetwork_mode = "no-network"',
        '[agent]\ntimeout_sec = 60',
        `[verifier]\ntimeout_sec = 30\nenvironment_mode = "${mode}"`,
        // Declared first, run after main's: a service's hooks come once the agent's container is done with.
        '[[verifier.collect]]\nservice = "db"\nuser = "nobody"\ncommand = "echo \\"db-hook $(id -un)\\" > /var/db/state.txt"',
        '[[verifier.collect]]\ncommand = "echo main-hook > /app/main-hook.txt"',
        '[[verifier.collect]]\ncommand = "echo broken >&2; exit 3"',
        '[[verifier.collect]]\nservice = "cache"\ncommand = "true"',
        '',
      ].join('\n'),
      // Both the main hook's file and the service's snapshot reach the tests (copied in, under a separate verifier).
      testSh:
        'if [ -f /app/main-hook.txt ] && grep -qx "db-hook nobody" /var/db/state.txt 2>/dev/null; then r=1; elif [ -f /app/main-hook.txt ]; then r=0.5; else r=0; fi; echo $r > /logs/verifier/reward.txt\n',
    });
    await fs.writeFile(
      path.join(task.paths.environmentDir, 'docker-compose.yaml'),
      'services:\n  db:\n    build: ./db\n',
    );
    await fs.mkdir(path.join(task.paths.environmentDir, 'db'));
    await fs.writeFile(
      path.join(task.paths.environmentDir, 'db', 'Dockerfile'),
      'FROM debian:bookworm-slim\nRUN mkdir -p /var/db && chmod 777 /var/db\nCMD ["sleep", "infinity"]\n',
    );
    const { loadTask } = await import('../../../src/tasks/load');
    const t = await loadTask(task.dir);
    expect(t.config.serviceArtifacts).toEqual([{ service: 'db', source: '/var/db/state.txt' }]);
    await provider.ensureImage(t);
    const idle = scriptAgent('true'); // the hooks do the work here
    const r = await runTrial({ task: t, agent: 'noop', repeat: 0, outDir, provider, runAgent: idle.runner });
    // Under a shared verifier the tests run in main, where the service's file is not: the record still has it.
    expect(r).toMatchObject({ reward: mode === 'separate' ? 1 : 0.5, error: null });
    expect(r.collectHooks).toEqual([
      { service: 'main', command: 'echo main-hook > /app/main-hook.txt', exitCode: 0 },
      { service: 'main', command: 'echo broken >&2; exit 3', exitCode: 3, error: 'broken' },
      { service: 'db', command: 'echo "db-hook $(id -un)" > /var/db/state.txt', exitCode: 0 },
      { service: 'cache', command: 'true', exitCode: null, error: expect.stringMatching(/compose service "cache"/) },
    ]);
    expect(r.artifacts).toEqual(
      expect.arrayContaining([expect.objectContaining({ source: '/var/db/state.txt', service: 'db' })]),
    );
    const trialDir = path.join(outDir, r.trialId);
    expect(await fs.readFile(path.join(trialDir, 'artifacts/var/db/state.txt'), 'utf8')).toBe('db-hook nobody\n');
    expect(await fs.readFile(path.join(trialDir, 'artifacts/app/main-hook.txt'), 'utf8')).toBe('main-hook\n');
    expect(await leftovers(r.trialId)).toEqual({ containers: 0, networks: 0 });
  },
  600_000,
);

/** A task whose `web` service listens only after `delaySec`, with a healthcheck; main depends on it being healthy. */
async function slowServiceTask(name: string, healthcheck: string): Promise<Awaited<ReturnType<typeof makeTask>>> {
  const task = await composeTask(name, 'no-network');
  await fs.writeFile(
    path.join(task.paths.environmentDir, 'docker-compose.yaml'),
    `services:
  main:
    environment:
      SERVICE_URL: web:8000
    depends_on:
      web:
        condition: service_healthy
  web:
    build: ./web
    command: ["sh", "-c", "sleep 3 && exec python3 -m http.server 8000"]
    healthcheck:
      test: ${healthcheck}
      interval: 1s
      timeout: 2s
      retries: 3
      start_period: 10s
`,
  );
  const { loadTask } = await import('../../../src/tasks/load');
  return loadTask(task.dir);
}

// One attempt, no retry: only a service that is up before the agent starts answers it.
const FETCH_ONCE =
  'host=${SERVICE_URL%:*}; port=${SERVICE_URL#*:}; exec 3<>/dev/tcp/$host/$port && printf "GET / HTTP/1.0\\r\\n\\r\\n" >&3 && cat <&3 | tail -n 1 > /app/out.txt; cat /app/out.txt';

test("main's depends_on condition service_healthy: the agent starts once the service is healthy", async () => {
  const task = await slowServiceTask(
    'compose-healthy',
    `["CMD", "python3", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000')"]`,
  );
  await provider.ensureImage(task);
  const agent = scriptAgent(FETCH_ONCE);
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('service-hello');
  expect(r).toMatchObject({ reward: 1, error: null });
  expect(await leftovers(r.trialId)).toEqual({ containers: 0, networks: 0 });
}, 600_000);

test('a service main depends on that turns unhealthy fails the trial naming it, and leaves nothing', async () => {
  const task = await slowServiceTask('compose-unhealthy', `["CMD", "false"]`);
  await provider.ensureImage(task);
  const agent = scriptAgent(FETCH_ONCE);
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(agent.runs).toHaveLength(0);
  expect(r.reward).toBe(0);
  expect(r.error).toContain('services.main.depends_on: service "web" is unhealthy');
  expect(await leftovers(r.trialId)).toEqual({ containers: 0, networks: 0 });
}, 600_000);
