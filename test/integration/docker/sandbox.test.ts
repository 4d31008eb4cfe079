/**
 * DockerSandbox against a real daemon: exec (demux, exit codes, env, cwd, timeouts on both sides,
 * truncation), files in and out, isolation (no network, memory and pids limits, no host env), teardown.
 */
import * as os from 'node:os';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import type { Sandbox } from '../../../src/sandbox/types';
import type { Task } from '../../../src/tasks/types';
import { containersForTrial, makeTask, requireDocker, tmpDir } from './support';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const provider = new DockerSandboxProvider();
let task: Task;
let image: string;
const started: Sandbox[] = [];

async function startBox(t: Task = task, trialId = `h2-sandbox-${process.pid}-${started.length}`): Promise<Sandbox> {
  const box = await provider.start(t, { image, trialId });
  started.push(box);
  return box;
}

/** Command lines of every process in the container (bookworm-slim has no ps). */
const PS = `for p in /proc/[0-9]*; do tr '\\0' ' ' < "$p/cmdline" 2>/dev/null; echo; done`;

beforeAll(async () => {
  await requireDocker();
  task = await makeTask();
  image = (await provider.ensureImage(task)).image;
});

afterAll(async () => {
  await Promise.all(started.map((b) => b.remove()));
});

test('exec separates stdout and stderr, reports exit codes and never throws for failures', async () => {
  const box = await startBox();
  const r = await box.exec('echo out; echo err >&2; exit 7');
  expect(r).toMatchObject({
    exitCode: 7,
    stdout: 'out\n',
    stderr: 'err\n',
    timedOut: false,
    truncatedBytes: { stdout: 0, stderr: 0 },
  });
  expect((await box.exec('pwd')).stdout).toBe('/app\n'); // the image's WORKDIR
  expect((await box.exec('pwd', { cwd: '/tmp' })).stdout).toBe('/tmp\n');
  expect((await box.exec('echo "$FOO" "$0"', { env: { FOO: 'bar baz' } })).stdout).toBe('bar baz bash\n');
  expect((await box.exec('id -u', { user: 'nobody' })).stdout.trim()).toBe('65534');
  expect((await box.exec("echo 'quotes \" and $dollars' | wc -c")).stdout.trim()).toBe('22');
});

test('no host environment enters the container', async () => {
  const before = process.env.ANTHROPIC_API_KEY;
  process.env.ANTHROPIC_API_KEY = 'sk-ant-h2-must-not-leak';
  try {
    const box = await startBox();
    const r = await box.exec('env; cat /proc/1/environ | tr "\\0" "\\n"');
    expect(r.stdout).not.toContain('sk-ant-h2-must-not-leak');
    expect(r.stdout).not.toContain('ANTHROPIC');
  } finally {
    if (before === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = before;
  }
});

test('a hanging command is killed at its timeout and leaves no process behind', async () => {
  const box = await startBox();
  const t0 = Date.now();
  const r = await box.exec('echo started; sleep 1000', { timeoutSec: 2 });
  expect(Date.now() - t0).toBeLessThan(10_000);
  expect(r).toMatchObject({ timedOut: true, exitCode: null, stdout: 'started\n' });
  expect((await box.exec(PS)).stdout).not.toContain('sleep 1000');
});

test('processes that escape into a new session are killed after a timeout too', async () => {
  const box = await startBox();
  const r = await box.exec('setsid sleep 1001 & wait', { timeoutSec: 1 });
  expect(r.timedOut).toBe(true);
  expect((await box.exec(PS)).stdout).not.toContain('sleep 1001');
});

test('without bash and coreutils timeout: sh runs the command and the host enforces the timeout', async () => {
  const bare = await makeTask({
    name: 'bare-task',
    dockerfile: 'FROM debian:bookworm-slim\nRUN rm /usr/bin/timeout /usr/bin/bash\n',
  });
  const bareImage = await provider.ensureImage(bare);
  const box = await provider.start(bare, { image: bareImage.image, trialId: `h2-bare-${process.pid}` });
  started.push(box);
  expect((await box.exec('echo "$0"')).stdout).toBe('sh\n');
  const t0 = Date.now();
  const r = await box.exec('sleep 1002', { timeoutSec: 1 });
  const ms = Date.now() - t0;
  expect(r).toMatchObject({ timedOut: true, exitCode: null });
  expect(ms).toBeGreaterThan(8_000); // the host timer (1 s + 5 s kill grace + 3 s slack) did it
  expect(ms).toBeLessThan(15_000);
  expect((await box.exec(PS)).stdout).not.toContain('sleep 1002');
});

test('a command exiting 124 quickly is not a timeout', async () => {
  const box = await startBox();
  expect(await box.exec('exit 124', { timeoutSec: 30 })).toMatchObject({ exitCode: 124, timedOut: false });
});

test('output is truncated to head + tail with a marker', async () => {
  const box = await startBox();
  const r = await box.exec("head -c 200000 /dev/zero | tr '\\0' a; echo END; echo tiny >&2", { maxOutputBytes: 1000 });
  expect(r.truncatedBytes).toEqual({ stdout: 200004 - 1000, stderr: 0 });
  expect(r.stdout).toContain(`[... ${200004 - 1000} bytes truncated ...]`);
  expect(r.stdout.startsWith('a'.repeat(500))).toBe(true);
  expect(r.stdout.endsWith('END\n')).toBe(true);
  expect(r.stdout.length).toBeLessThan(1100);
  expect(r.stderr).toBe('tiny\n');
});

test('putFile / putDir / getFile move bytes and modes; missing files are null', async () => {
  const box = await startBox();
  const bytes = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
  await box.putFile('/deep/new/dir/blob.bin', bytes);
  expect(await box.getFile('/deep/new/dir/blob.bin')).toEqual(bytes);
  await box.putFile('/app/run.sh', '#!/bin/sh\necho ran\n', 0o755);
  expect((await box.exec('/app/run.sh')).stdout).toBe('ran\n');

  const host = await tmpDir('aa-h2-dir-');
  await fs.mkdir(path.join(host, 'sub', 'empty'), { recursive: true });
  await fs.writeFile(path.join(host, 'sub', 'x.sh'), 'echo x', { mode: 0o755 });
  await fs.writeFile(path.join(host, 'top.txt'), 'top');
  await box.putDir(host, '/opt/copied');
  const ls = await box.exec('cd /opt/copied && find . | sort && stat -c %a sub/x.sh && stat -c %a /tmp');
  expect(ls.stdout).toBe('.\n./sub\n./sub/empty\n./sub/x.sh\n./top.txt\n755\n1777\n');
  expect((await box.getFile('/opt/copied/top.txt'))?.toString()).toBe('top');
  expect(await box.getFile('/no/such/file')).toBeNull();
  expect(await box.getFile('/opt/copied/sub')).toBeNull();
});

test('there is no network inside, only loopback', async () => {
  const box = await startBox();
  expect((await box.exec('ls /sys/class/net')).stdout.trim()).toBe('lo');
  const dns = await box.exec('getent hosts deb.debian.org', { timeoutSec: 20 });
  expect(dns.exitCode).not.toBe(0);
  const tcp = await box.exec('exec 3<>/dev/tcp/151.101.2.132/80', { timeoutSec: 20 });
  expect(tcp.exitCode).not.toBe(0);
  expect(tcp.timedOut).toBe(false);
});

test('a memory hog is OOM-killed inside a 128 MB sandbox and the sandbox survives', async () => {
  const small = await makeTask({ toml: 'version = "1.0"\n[environment]\nmemory_mb = 128\ncpus = 0.5\n' });
  const box = await startBox(small);
  const limit = await box.exec(
    'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max',
  );
  expect(limit.stdout.trim()).toBe(String(128 * 1024 * 1024));
  // `tail -n 1` buffers a newline-free stream whole: it grows past 128 MB and is killed (wc then prints 0).
  const r = await box.exec('set -o pipefail; head -c 1G /dev/zero | tail -n 1 | wc -c', { timeoutSec: 60 });
  expect(r.timedOut).toBe(false);
  expect(r.exitCode).toBe(137);
  expect(r.stdout.trim()).toBe('0');
  const oom = await box.exec(
    'grep -h "^oom_kill " /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events 2>/dev/null',
  );
  expect(Number(oom.stdout.trim().split(/\s+/).pop())).toBeGreaterThan(0);
  expect((await box.exec('echo alive')).stdout).toBe('alive\n');
  expect(os.freemem()).toBeGreaterThan(256 * 1024 * 1024);
});

test('a fork bomb is contained by the pids limit and the sandbox stays usable', async () => {
  const box = await startBox();
  const t0 = Date.now();
  const r = await box.exec('bomb() { bomb | bomb & }; bomb; sleep 30', { timeoutSec: 4 });
  expect(r.timedOut).toBe(true);
  expect(Date.now() - t0).toBeLessThan(30_000);
  // The bomb's last processes take a moment to die; until then a command that forks can fail.
  const settled = async (command: string, want: string): Promise<string> => {
    let out = '';
    for (let i = 0; i < 10 && out !== want; i++) {
      out = (await box.exec(command, { timeoutSec: 10 })).stdout.trim();
      if (out !== want) await new Promise((res) => setTimeout(res, 500));
    }
    return out;
  };
  expect(await settled('echo alive', 'alive')).toBe('alive');
  expect(await settled('cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max', '512')).toBe(
    '512',
  );
});

test('remove() is idempotent and leaves no container with the trial label', async () => {
  const trialId = `h2-remove-${process.pid}`;
  const box = await startBox(task, trialId);
  expect(await containersForTrial(trialId)).toHaveLength(1);
  await box.remove();
  await box.remove();
  expect(await containersForTrial(trialId)).toHaveLength(0);
});

test("the image's ENTRYPOINT prepares the container, then runs the keep-alive, as under Harbor", async () => {
  const t = await makeTask({
    name: 'with-entrypoint',
    dockerfile: [
      'FROM debian:bookworm-slim',
      'RUN printf \'#!/bin/sh\\necho prepared > /etc/prepared\\nexec "$@"\\n\' > /entrypoint.sh && chmod +x /entrypoint.sh',
      'ENTRYPOINT ["/entrypoint.sh"]',
      '',
    ].join('\n'),
  });
  const img = (await provider.ensureImage(t)).image;
  const box = await provider.start(t, { image: img, trialId: `h2-sandbox-${process.pid}-entrypoint` });
  started.push(box);
  expect((await box.exec('cat /etc/prepared')).stdout).toBe('prepared\n');
  expect((await box.exec('echo still-up')).exitCode).toBe(0);
});
