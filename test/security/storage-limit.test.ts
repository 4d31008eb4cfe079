/**
 * Attack: an agent writes far past the task's storage_mb (it could fill the host's disk). Two layers hold it:
 * a kernel quota (`--storage-opt size`, src/sandbox/storage-quota.ts) on a daemon whose storage driver has one
 * — scripts/setup-docker.sh starts dockerd on a btrfs data root for it —, and a watchdog that polls the
 * container's writable-layer size during the agent phase and stops the trial at the limit
 * (src/sandbox/storage-watchdog.ts): reward 0, StorageLimitError in phase 'agent'. Asserted on bytes: what
 * the container holds when it is removed, measured by the test through the Docker API. The hard bound for
 * parallel writers needs the quota (AUTOAGENT_DOCKER_QUOTA=1 in set-up); without it the watchdog's is checked.
 */
import type Docker from 'dockerode';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { StartOptions } from '../../src/sandbox/provider';
import type { Task } from '../../src/tasks/types';
import { VERIFIER_HEADROOM_MB } from '../../src/sandbox/storage-quota';
import { runTrial } from '../../src/trial/run-trial';
import { docker, makeTask, requireDocker, scriptAgent, tmpDir } from './support';

const MB = 1024 * 1024;

/** A provider whose sandboxes report their writable-layer size (SizeRw) just before removal. */
class MeasuringProvider extends DockerSandboxProvider {
  readonly finalBytes: number[] = [];
  override async start(task: Task, opts: StartOptions): ReturnType<DockerSandboxProvider['start']> {
    const box = await super.start(task, opts);
    const remove = box.remove.bind(box);
    box.remove = async (): Promise<void> => {
      const info = await docker.getContainer(box.id).inspect({ size: true } as Docker.ContainerInspectOptions);
      this.finalBytes.push(Number((info as unknown as { SizeRw?: number }).SizeRw ?? 0));
      return remove();
    };
    return box;
  }
}

const provider = new MeasuringProvider();
let outDir: string;
let task: Task;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-sec-disk-');
  task = await makeTask({ name: 'sec-storage', toml: 'version = "1.0"\n[environment]\nmemory_mb = 256\nstorage_mb = 50\nallow_internet = false\n[agent]\ntimeout_sec = 120\n' });
  await provider.ensureImage(task);
}, 300_000);

test('an agent writing 200 MB against storage_mb = 50 is stopped near the limit with StorageLimitError', async () => {
  // 10 MB every 0.25 s: the 200 MB take at least 5 s, many polling intervals.
  const agent = scriptAgent('echo hello > /app/out.txt; for i in $(seq 1 20); do head -c 10485760 /dev/urandom > /app/blob.$i; sleep 0.25; done; echo wrote-all');
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  const written = provider.finalBytes.at(-1) ?? -1;
  expect(written).toBeGreaterThan(50 * MB); // the limit was really crossed...
  expect(written).toBeLessThan(120 * MB); // ...and stopped near it: the quota's bound, or the watchdog's (limit + one polling interval + slack)
  // The watchdog stops the agent only when it sees the layer in time; with a quota the kernel has refused the
  // writes anyway, so how far the script got depends on the machine's speed, and is not asserted.
  if (!(await provider.storageQuota())) expect(agent.runs[0]?.stdout ?? '').not.toContain('wrote-all');
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^StorageLimitError: .*storage_mb = 50/);
  expect(r.failure).toMatchObject({ phase: 'agent', type: 'StorageLimitError' });
  expect(r).toMatchObject({ turns: 1, stopReason: 'end_turn' }); // the agent's record (turns, usage) is kept
  expect(r.timings.agentMs).toBeGreaterThan(0);
});

test('one file can never outgrow storage_mb: a flat-out 200 MB dd stops at 50 MB in the kernel (RLIMIT_FSIZE)', async () => {
  const agent = scriptAgent('dd if=/dev/zero of=/app/big bs=1M count=200; echo "dd exit $?"; stat -c %s /app/big');
  await runTrial({ task, agent: 'noop', repeat: 2, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain(`\n${50 * MB}\n`);
  expect(agent.runs[0]?.stdout).not.toContain('dd exit 0');
  expect(provider.finalBytes.at(-1)).toBeLessThanOrEqual(51 * MB);
});

test('an agent within its storage limit is not stopped', async () => {
  const agent = scriptAgent('echo hello > /app/out.txt; head -c 20971520 /dev/urandom > /app/blob');
  const r = await runTrial({ task, agent: 'noop', repeat: 1, outDir, provider, runAgent: agent.runner });
  expect(r).toMatchObject({ reward: 1, error: null });
});

test('40 writers in parallel, 50 MB each, against storage_mb = 50: stopped, reward 0; a kernel quota, where there is one, holds the total', async () => {
  const agent = scriptAgent('echo hello > /app/out.txt; for i in $(seq 1 40); do (dd if=/dev/zero of=/app/p$i bs=1M count=50 2>/dev/null) & done; wait; echo wrote-all');
  const r = await runTrial({ task, agent: 'noop', repeat: 3, outDir, provider, runAgent: agent.runner });
  const written = provider.finalBytes.at(-1) ?? -1;
  expect(written).toBeGreaterThan(50 * MB);
  expect(r.reward).toBe(0);
  expect(r.failure).toMatchObject({ phase: 'agent', type: 'StorageLimitError' });
  if (await provider.storageQuota()) {
    // Everything the agent could write: storage_mb plus the verifier's headroom, and a little btrfs metadata.
    expect(written).toBeLessThanOrEqual((50 + VERIFIER_HEADROOM_MB + 2) * MB);
  } else {
    // The watchdog alone (overlay2 on ext4): far less than the 2000 MB attempted, but not a hard bound.
    expect(written).toBeLessThan(1000 * MB);
  }
});
