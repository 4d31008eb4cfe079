/**
 * The guard's logic on a scripted TrialSandbox (the Docker side is covered by test/security): the fence
 * closes with the agent phase, the storage watchdog stops the container and the agent at the limit, and
 * sealForVerifier kills before it diffs and refuses tampering or surviving processes.
 */
import { StorageLimitError } from '../../../src/sandbox/errors';
import type { ExecResult, FsChange, ProcessInfo, Sandbox, TrialSandbox } from '../../../src/sandbox/types';
import type { Task } from '../../../src/tasks/types';
import { STORAGE_MIN_POLL_MS, STORAGE_POLL_MS, nextPollMs } from '../../../src/sandbox/storage-watchdog';
import { fence, guardAgentPhase, sealForVerifier } from '../../../src/trial/guard';

const OK: ExecResult = {
  exitCode: 0,
  stdout: '',
  stderr: '',
  timedOut: false,
  truncatedBytes: { stdout: 0, stderr: 0 },
  durationMs: 1,
};
const KEEP_ALIVE: ProcessInfo[] = [
  { pid: 1, ppid: 0, comm: 'docker-init' },
  { pid: 7, ppid: 1, comm: 'sh' },
  { pid: 8, ppid: 7, comm: 'sleep' },
];

class ScriptedBox implements TrialSandbox {
  readonly id = 'scripted';
  readonly calls: string[] = [];
  bytes = 0;
  diff: FsChange[] = [];
  procs: ProcessInfo[] = KEEP_ALIVE;
  startup: ProcessInfo[] = [];
  startupProcesses(): readonly ProcessInfo[] {
    return this.startup;
  }
  async exec(command: string): Promise<ExecResult> {
    this.calls.push(`exec ${command}`);
    return OK;
  }
  async putFile(): Promise<void> {
    this.calls.push('putFile');
  }
  async putDir(): Promise<void> {
    this.calls.push('putDir');
  }
  async getFile(): Promise<Buffer | null> {
    this.calls.push('getFile');
    return null;
  }
  async remove(): Promise<void> {
    this.calls.push('remove');
  }
  async stop(): Promise<void> {
    this.calls.push('stop');
  }
  async start(): Promise<void> {
    this.calls.push('start');
  }
  async processes(): Promise<ProcessInfo[]> {
    this.calls.push('processes');
    return this.procs;
  }
  async changes(): Promise<FsChange[]> {
    this.calls.push('changes');
    return this.diff;
  }
  async writableBytes(): Promise<number> {
    return this.bytes;
  }
  async workingDir(): Promise<string | null> {
    return '/app';
  }
  async archive(): Promise<NodeJS.ReadableStream | null> {
    return null;
  }
  async extract(): Promise<void> {
    this.calls.push('extract');
  }
}

const task = (storageMb: number, writablePaths: string[] = []): Task =>
  ({
    config: { environment: { storageMb }, agent: { timeoutSec: 60, writablePaths } },
  }) as unknown as Task;

test('the fence passes calls through until closed, then refuses every one', async () => {
  const box = new ScriptedBox();
  const f = fence(box);
  await f.sandbox.exec('echo hi');
  f.close();
  await expect(f.sandbox.exec('echo again')).rejects.toThrow(/agent phase is over/);
  await expect(f.sandbox.putFile('/x', 'y')).rejects.toThrow(/agent phase is over/);
  await expect(f.sandbox.getFile('/x')).rejects.toThrow(/agent phase is over/);
  expect(box.calls).toEqual(['exec echo hi']);
});

test('an agent that keeps its sandbox after its phase can no longer act', async () => {
  const box = new ScriptedBox();
  let kept: Sandbox | null = null;
  await guardAgentPhase(box, task(100), undefined, async (sandbox) => {
    kept = sandbox;
  });
  await expect(kept!.exec('echo 1 > /logs/verifier/reward.txt')).rejects.toThrow(/agent phase is over/);
});

test('over storage_mb the watchdog stops the container, aborts the agent and the phase throws StorageLimitError', async () => {
  const box = new ScriptedBox();
  let aborted: unknown = null;
  const phase = guardAgentPhase(box, task(50), undefined, async (sandbox, signal) => {
    box.bytes = 80 * 1024 * 1024;
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    aborted = signal.reason;
    await expect(sandbox.exec('dd if=/dev/zero of=/big')).rejects.toThrow(/agent phase is over/);
  });
  await expect(phase).rejects.toBeInstanceOf(StorageLimitError);
  await expect(phase).rejects.toThrow(/reached 80 MB, over the task's storage_mb = 50/);
  expect(aborted).toBeInstanceOf(StorageLimitError);
  expect(box.calls).toContain('stop');
});

test('a burst written between two polls is caught by the last measurement', async () => {
  const box = new ScriptedBox();
  const phase = guardAgentPhase(box, task(50), undefined, async () => {
    box.bytes = 60 * 1024 * 1024;
  });
  await expect(phase).rejects.toBeInstanceOf(StorageLimitError);
});

test('sealForVerifier stops the container before diffing, then starts it and checks its processes', async () => {
  const box = new ScriptedBox();
  box.diff = [{ path: '/app/out.txt', kind: 'added' }];
  await sealForVerifier(box, task(100));
  expect(box.calls).toEqual(['stop', 'changes', 'start', 'processes']); // diff and start run side by side, after the stop
});

test('sealForVerifier refuses tampering, naming the change, before the verifier could use the container', async () => {
  const box = new ScriptedBox();
  box.diff = [
    { path: '/usr/bin', kind: 'modified' },
    { path: '/usr/bin/grep', kind: 'modified' },
  ];
  await expect(sealForVerifier(box, task(100))).rejects.toMatchObject({
    name: 'RewardTamperingError',
    message: expect.stringContaining('/usr/bin/grep (modified)'),
  });
  expect(box.calls).not.toContain('processes');
  // Declared as the task's work area, the same change is fine.
  await expect(sealForVerifier(box, task(100, ['/usr/bin']))).resolves.toBeUndefined();
});

test('a process other than init and the keep-alive after the restart is refused', async () => {
  const box = new ScriptedBox();
  box.procs = [...KEEP_ALIVE, { pid: 9, ppid: 7, comm: 'writer' }];
  await expect(sealForVerifier(box, task(100))).rejects.toMatchObject({
    name: 'RewardTamperingError',
    message: expect.stringContaining('writer'),
  });
  box.procs = [...KEEP_ALIVE, { pid: 30, ppid: 0, comm: 'sh' }];
  await expect(sealForVerifier(box, task(100))).rejects.toThrow(/process 30 \(sh\)/);
});

test("what the image's ENTRYPOINT started is the container's own after the restart; anything beyond it is refused", async () => {
  const box = new ScriptedBox();
  // The entrypoint started a daemon, then exec'd the keep-alive (its pid is the entrypoint's).
  const withDaemon: ProcessInfo[] = [...KEEP_ALIVE, { pid: 8, ppid: 7, comm: 'python3' }].map((p, i) =>
    i === 2 ? { ...p, pid: 11 } : p,
  );
  box.startup = withDaemon;
  box.procs = withDaemon;
  await expect(sealForVerifier(box, task(100))).resolves.toBeUndefined();
  box.procs = [...withDaemon, { pid: 12, ppid: 7, comm: 'python3' }]; // a second one is not the image's
  await expect(sealForVerifier(box, task(100))).rejects.toThrow(/process 12 \(python3\)/);
  box.procs = [...withDaemon, { pid: 40, ppid: 0, comm: 'sleep' }]; // an exec's, however it is named
  await expect(sealForVerifier(box, task(100))).rejects.toThrow(/process 40 \(sleep\)/);
});

test('the watchdog polls faster as a fast-growing layer nears its limit, within its bounds and its cost cap', () => {
  const MB = 1024 * 1024;
  expect(nextPollMs({ remainingBytes: 40 * MB, bytesPerMs: 0, lastPollMs: 3, maxMs: STORAGE_POLL_MS })).toBe(
    STORAGE_POLL_MS,
  );
  expect(nextPollMs({ remainingBytes: 40 * MB, bytesPerMs: MB / 10, lastPollMs: 3, maxMs: STORAGE_POLL_MS })).toBe(200); // 400 ms to the limit
  expect(nextPollMs({ remainingBytes: MB, bytesPerMs: MB, lastPollMs: 3, maxMs: STORAGE_POLL_MS })).toBe(
    STORAGE_MIN_POLL_MS,
  );
  expect(nextPollMs({ remainingBytes: MB, bytesPerMs: MB, lastPollMs: 20, maxMs: STORAGE_POLL_MS })).toBe(200); // a slow poll is not repeated too often
});

test('an agent phase that throws stops the watchdog and passes its own error on', async () => {
  const box = new ScriptedBox();
  let polls = 0;
  box.writableBytes = async () => {
    polls++;
    return 0;
  };
  await expect(
    guardAgentPhase(box, task(50), undefined, async () => {
      throw new Error('model credentials missing');
    }),
  ).rejects.toThrow('model credentials missing');
  const after = polls;
  await new Promise((r) => setTimeout(r, 600));
  expect(polls).toBe(after);
});

test('under a kernel quota the watchdog does not poll, and still fails an agent over storage_mb when it ends', async () => {
  const box = Object.assign(new ScriptedBox(), { storageQuota: true });
  let polls = 0;
  box.writableBytes = async () => {
    polls++;
    return box.bytes;
  };
  await guardAgentPhase(box, task(50), undefined, async () => {
    await new Promise((r) => setTimeout(r, 600));
  });
  expect(polls).toBe(1); // the measurement at the end only

  const over = Object.assign(new ScriptedBox(), { storageQuota: true });
  await expect(
    guardAgentPhase(over, task(50), undefined, async () => {
      over.bytes = 60 * 1024 * 1024;
    }),
  ).rejects.toBeInstanceOf(StorageLimitError);
  expect(over.calls).toContain('stop');
});

test('under a quota, a layer the daemon cannot measure (-1: the quota is full) fails the agent with StorageLimitError', async () => {
  const full = Object.assign(new ScriptedBox(), { storageQuota: true });
  full.writableBytes = async () => -1;
  await expect(guardAgentPhase(full, task(50), undefined, async () => undefined)).rejects.toThrow(
    /storage quota \(storage_mb = 50 .*is full/,
  );
  const unknown = new ScriptedBox(); // no quota: -1 is only "unknown"
  unknown.writableBytes = async () => -1;
  await expect(guardAgentPhase(unknown, task(50), undefined, async () => 'ok')).resolves.toBe('ok');
});
