/**
 * DockerSandboxProvider against a real daemon: image build, cache by content tag, single build under
 * concurrency, typed build failures with the log, resource settings on the container, orphan reaping.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImageBuildError } from '../../../src/sandbox/errors';
import { envImageTag } from '../../../src/sandbox/image';
import { processStartTicks } from '../../../src/sandbox/owner';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { docker, makeTask, requireDocker } from './support';

const provider = new DockerSandboxProvider();
const images: string[] = [];

beforeAll(requireDocker);
afterAll(async () => {
  for (const img of images)
    await docker
      .getImage(img)
      .remove({ force: true })
      .catch(() => undefined);
});

/** A task whose environment is new to the daemon (a nonce file changes the content hash). */
async function freshTask(dockerfile = 'FROM debian:bookworm-slim\nWORKDIR /work\nRUN echo built-step-ran\n') {
  const task = await makeTask({ name: 'Fresh Task!', dockerfile });
  await fs.writeFile(path.join(task.paths.environmentDir, 'nonce.txt'), randomBytes(8).toString('hex'));
  return task;
}

test('builds environment/ once, tags it by content, then reuses it; concurrent calls share one build', async () => {
  const task = await freshTask();
  const tag = await envImageTag(task);
  expect(tag).toMatch(/^autoagent-env\/fresh-task:[0-9a-f]{16}$/);
  images.push(tag);
  const [a, b] = await Promise.all([provider.ensureImage(task), provider.ensureImage(task)]);
  expect([a.built, b.built].sort()).toEqual([false, true]);
  const first = a.built ? a : b;
  expect(first).toMatchObject({ image: tag });
  expect(first.buildLog).toContain('built-step-ran');
  expect(first.buildMs).toBeGreaterThan(0);
  const again = await provider.ensureImage(task);
  expect(again).toEqual({ image: tag, built: false, buildMs: 0, buildLog: '' });
  // A second provider (another worker) finds the tag too.
  expect((await new DockerSandboxProvider().ensureImage(task)).built).toBe(false);
});

test('a failing build throws ImageBuildError carrying the log tail', async () => {
  const task = await freshTask('FROM debian:bookworm-slim\nRUN echo h2-boom-marker && exit 3\n');
  images.push(await envImageTag(task));
  const err = await provider.ensureImage(task).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageBuildError);
  expect((err as ImageBuildError).name).toBe('ImageBuildError');
  expect((err as ImageBuildError).logTail).toContain('h2-boom-marker');
  expect((err as ImageBuildError).message).toContain('build failed');
});

test('Dockerfiles only BuildKit reads build as under Harbor: heredocs in RUN and COPY, RUN --mount', async () => {
  const task = await freshTask(
    [
      'FROM debian:bookworm-slim',
      'RUN mkdir -p /app && \\',
      "    cat > /app/run.txt <<'EOT'",
      'ran $HOME literally',
      'EOT',
      'RUN <<EOT',
      'echo heredoc-script-marker',
      'echo "$((6 * 7))" > /app/script.txt',
      'EOT',
      'COPY <<EOT /app/copied.txt',
      'copied',
      'EOT',
      'RUN --mount=type=cache,target=/cache echo cached > /cache/x && cat /cache/x > /app/mount.txt',
      '',
    ].join('\n'),
  );
  const { image, buildLog } = await provider.ensureImage(task);
  images.push(image);
  expect(buildLog).toContain('heredoc-script-marker');
  const out = spawnSync(
    'docker',
    ['run', '--rm', image, 'cat', '/app/run.txt', '/app/script.txt', '/app/copied.txt', '/app/mount.txt'],
    {
      encoding: 'utf8',
    },
  );
  expect(out.stdout).toBe('ran $HOME literally\n42\ncopied\ncached\n');
});

test('a build over its timeout fails with ImageBuildError', async () => {
  const task = await freshTask('FROM debian:bookworm-slim\nRUN sleep 30\n');
  images.push(await envImageTag(task));
  const t0 = Date.now();
  const err = await provider.ensureImage(task, { buildTimeoutSec: 2 }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageBuildError);
  expect((err as Error).message).toContain('timed out after 2s');
  expect(Date.now() - t0).toBeLessThan(15_000);
});

test('a prebuilt docker_image is used as is', async () => {
  const task = await makeTask({ toml: 'version = "1.0"\n[environment]\ndocker_image = "debian:bookworm-slim"\n' });
  expect(await provider.ensureImage(task)).toEqual({
    image: 'debian:bookworm-slim',
    built: false,
    buildMs: 0,
    buildLog: '',
  });
  const missing = await makeTask({
    toml: 'version = "1.0"\n[environment]\ndocker_image = "autoagent-h2/does-not-exist:1"\n',
  });
  await expect(provider.ensureImage(missing)).rejects.toThrow(ImageBuildError);
});

test('containers carry labels, limits and no network', async () => {
  const task = await makeTask({
    toml: 'version = "1.0"\n[environment]\ncpus = 1.5\nmemory_mb = 300\nallow_internet = false\n',
  });
  const { image } = await provider.ensureImage(task);
  const box = await provider.start(task, { image, trialId: 'h2-labels' });
  try {
    const info = await docker.getContainer(box.id).inspect();
    expect(info.Config.Labels).toMatchObject({
      autoagent: '1',
      'autoagent.trial': 'h2-labels',
      'autoagent.pid': String(process.pid),
      'autoagent.host': os.hostname(),
      'autoagent.started': processStartTicks(process.pid),
    });
    expect(info.HostConfig).toMatchObject({
      NanoCpus: 1.5e9,
      Memory: 300 * 1024 * 1024,
      MemorySwap: 300 * 1024 * 1024,
      PidsLimit: 512,
      NetworkMode: 'none',
    });
    expect(info.Config.Env ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/ANTHROPIC/)]));
  } finally {
    await box.remove();
  }
});

test('reapOrphans removes containers whose owner process is gone, and only those', async () => {
  const task = await makeTask();
  const { image } = await provider.ensureImage(task);
  const deadPid = spawnSync('true').pid!; // exited: its pid names no live process
  const orphan = await docker.createContainer({
    Image: image,
    Cmd: ['sleep', 'infinity'],
    Labels: {
      autoagent: '1',
      'autoagent.trial': 'h2-orphan',
      'autoagent.pid': String(deadPid),
      'autoagent.host': os.hostname(),
    },
  });
  await orphan.start();
  const mine = await provider.start(task, { image, trialId: 'h2-not-orphan' });
  try {
    await provider.reapOrphans(); // another test file's reaper may get there first: the verdict is the orphan's absence
    await expect(orphan.inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await docker.getContainer(mine.id).inspect()).State.Running).toBe(true);
  } finally {
    await mine.remove();
    await orphan.remove({ force: true }).catch(() => undefined);
  }
});

test('reapOrphans treats a live pid with another start time as gone (a restarted worker container reuses pids)', async () => {
  const task = await makeTask();
  const { image } = await provider.ensureImage(task);
  const started = processStartTicks(process.pid);
  expect(started).toMatch(/^\d+$/);
  const labels = { autoagent: '1', 'autoagent.pid': String(process.pid), 'autoagent.host': os.hostname() };
  const stale = await docker.createContainer({
    Image: image,
    Cmd: ['sleep', 'infinity'],
    Labels: { ...labels, 'autoagent.trial': 'h2-stale', 'autoagent.started': String(Number(started) - 1) },
  });
  const current = await docker.createContainer({
    Image: image,
    Cmd: ['sleep', 'infinity'],
    Labels: { ...labels, 'autoagent.trial': 'h2-current', 'autoagent.started': started! },
  });
  try {
    await provider.reapOrphans();
    await expect(stale.inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect((await current.inspect()).Config.Labels['autoagent.trial']).toBe('h2-current');
  } finally {
    await stale.remove({ force: true }).catch(() => undefined);
    await current.remove({ force: true }).catch(() => undefined);
  }
});
