/**
 * Attack: an agent writes far past the task's storage_mb (it could fill the host's disk). Two layers hold it:
 * a kernel quota (`--storage-opt size`, src/sandbox/storage-quota.ts) on a daemon whose storage driver has one
 * — scripts/setup-docker.sh starts dockerd on a btrfs data root with quotas for it —, and a watchdog that polls the
 * container's writable-layer size during the agent phase and stops the trial at the limit
 * (src/sandbox/storage-watchdog.ts): reward 0, StorageLimitError in phase 'agent'. Asserted on bytes: what
 * the container holds when it is removed, measured by the test through the Docker API. The hard bound for
 * parallel writers needs the quota (on by default in set-up; .ci/run requires it); without it (a daemon started
 * elsewhere, AUTOAGENT_DOCKER_QUOTA=0) the watchdog's looser bound is checked.
 */
import type Docker from 'dockerode';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { StartOptions } from '../../src/sandbox/provider';
import type { Task } from '../../src/tasks/types';
import { VERIFIER_HEADROOM_MB } from '../../src/sandbox/storage-quota';
import { runTrial } from '../../src/trial/run-trial';
import { docker, makeTask, requireDocker, scriptAgent, tmpDir } from './support';

const MB = 1024 * 1024;

/**
 * A provider whose sandboxes report their writable-layer size (SizeRw) just before removal, or -1 where the
 * daemon cannot measure it (btrfs simple quotas, once the quota is full): then `writtenBy` reads what the
 * agent's script measured itself (`du` of /app, printed by DU as its last line).
 */
class MeasuringProvider extends DockerSandboxProvider {
  readonly finalBytes: number[] = [];
  override async start(task: Task, opts: StartOptions): ReturnType<DockerSandboxProvider['start']> {
    const box = await super.start(task, opts);
    const remove = box.remove.bind(box);
    box.remove = async (): Promise<void> => {
      const info = await docker
        .getContainer(box.id)
        .inspect({ size: true } as Docker.ContainerInspectOptions)
        .catch(() => null);
      this.finalBytes.push(Number((info as unknown as { SizeRw?: number } | null)?.SizeRw ?? -1));
      return remove();
    };
    return box;
  }
}

/** Appended to an agent's script: the blocks under /app when it ends (du counts data and preallocated space). */
const DU = '; echo "du $(du -sx -B1 /app | cut -f1)"';

/** What the last sandbox held: SizeRw, else (-1) the agent's own du, else -1. */
function writtenBy(agent: { runs: { stdout: string }[] }): number {
  const measured = provider.finalBytes.at(-1) ?? -1;
  if (measured >= 0) return measured;
  const du = /du (\d+)/.exec(agent.runs[0]?.stdout ?? '');
  return du ? Number(du[1]) : -1;
}

const provider = new MeasuringProvider();
let outDir: string;
let task: Task;
let image: string;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-sec-disk-');
  task = await makeTask({
    name: 'sec-storage',
    toml: 'version = "1.0"\n[environment]\nmemory_mb = 256\nstorage_mb = 50\nallow_internet = false\n[agent]\ntimeout_sec = 120\n',
  });
  ({ image } = await provider.ensureImage(task));
}, 300_000);

test('an agent writing 200 MB against storage_mb = 50 is stopped near the limit with StorageLimitError', async () => {
  // 10 MB every 0.25 s: the 200 MB take at least 5 s, many polling intervals.
  const agent = scriptAgent(
    'echo hello > /app/out.txt; for i in $(seq 1 20); do head -c 10485760 /dev/urandom 2>&1 > /app/blob.$i; sleep 0.25; done; echo wrote-all' +
      DU,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  const written = writtenBy(agent);
  const bound = await provider.storageQuotaBytes(image, 50);
  if (bound !== null) {
    // The kernel refused the writes past the quota (how far the script then got is the machine's speed).
    expect(agent.runs[0]?.stdout ?? '').toContain('Disk quota exceeded');
    expect(written).toBeLessThanOrEqual(bound + 2 * MB);
  } else {
    expect(written).toBeGreaterThan(50 * MB); // the limit was really crossed...
    expect(written).toBeLessThan(120 * MB); // ...and stopped near it: limit + one polling interval + slack
    expect(agent.runs[0]?.stdout ?? '').not.toContain('wrote-all');
  }
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
  const agent = scriptAgent(
    'echo hello > /app/out.txt; for i in $(seq 1 40); do (dd if=/dev/zero of=/app/p$i bs=1M count=50 2>&1 | grep -m1 quota) & done; wait; echo wrote-all' +
      DU,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 3, outDir, provider, runAgent: agent.runner });
  const written = writtenBy(agent);
  expect(r.reward).toBe(0);
  expect(r.failure).toMatchObject({ phase: 'agent', type: 'StorageLimitError' });
  const bound = await provider.storageQuotaBytes(image, 50);
  if (bound !== null) {
    // Everything the kernel let the agent write: storage_mb, the verifier's headroom and, under classic btrfs
    // qgroups, the image's slack (a few MB), and a little btrfs metadata.
    expect(agent.runs[0]?.stdout ?? '').toContain('Disk quota exceeded');
    expect(bound).toBeLessThanOrEqual((50 + VERIFIER_HEADROOM_MB + 8) * MB);
    expect(written).toBeLessThanOrEqual(bound + 2 * MB);
  } else {
    // The watchdog alone (overlay2 on ext4): far less than the 2000 MB attempted, but not a hard bound.
    expect(written).toBeGreaterThan(50 * MB);
    expect(written).toBeLessThan(1000 * MB);
  }
});

test('space reserved without writing (fallocate, 40 x 50 MB) is held by the quota too', async () => {
  const bound = await provider.storageQuotaBytes(image, 50);
  if (bound === null)
    throw new Error(
      'this daemon holds no storage quota, so nothing bounds fallocate between two watchdog polls: run scripts/setup-docker.sh (it starts dockerd on a btrfs data root with quotas)',
    );
  const agent = scriptAgent(
    'echo hello > /app/out.txt; for i in $(seq 1 40); do fallocate -l 50M /app/f$i 2>/dev/null & done; wait; echo done' +
      DU,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 5, outDir, provider, runAgent: agent.runner });
  const written = writtenBy(agent);
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThanOrEqual(bound + 2 * MB);
  expect(r.reward).toBe(0);
  expect(r.failure).toMatchObject({ type: 'StorageLimitError' });
});

test("an empty-file flood (inodes, no bytes: invisible to the size watchdog) is held by the quota and fails the trial as the task's fault", async () => {
  const bound = await provider.storageQuotaBytes(image, 50);
  if (bound === null)
    throw new Error(
      'this daemon holds no storage quota, so nothing bounds an empty-file flood: run scripts/setup-docker.sh (it starts dockerd on a btrfs data root with quotas)',
    );
  // Up to 400k files in dirs of 20k; each costs a few hundred bytes of metadata, so the quota ends it first.
  const agent = scriptAgent(
    'echo hello > /app/out.txt; i=0; while [ $i -lt 20 ]; do mkdir /app/d$i || break; (cd /app/d$i && seq 1 20000 | xargs touch) || break; i=$((i+1)); done; echo "dirs $i"',
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 4, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout ?? '').not.toContain('dirs 20');
  expect(r.reward).toBe(0);
  // A result, not a throw (a systemic fault would have thrown): the agent's fault, scored 0, named for what it is.
  expect(r.error).toMatch(/^StorageLimitError: the sandbox's storage quota \(storage_mb = 50 .*is full/);
  expect(r.failure).toMatchObject({ type: 'StorageLimitError' });
}, 300_000);
