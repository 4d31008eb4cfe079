/**
 * Helpers for the Docker integration suites: a loud daemon check (these tests fail, never skip, without
 * Docker), tiny Harbor tasks written to temp folders (FROM debian:bookworm-slim, no apt: fast builds), and
 * a lookup of containers by our labels.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { loadTask } from '../../../src/tasks/load';
import type { Task } from '../../../src/tasks/types';

export const docker = new Docker();

export async function requireDocker(): Promise<void> {
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(`Docker integration tests need a Docker daemon at /var/run/docker.sock: ${(err as Error).message}`);
  }
}

/**
 * A registry base image's local stand-in (scripts/standin-images.sh). Set-up builds the ones the tests use, so
 * this is a no-op then; on a machine set up without them it builds once, loudly, and fails when it cannot.
 */
export function requireStandin(image: string): void {
  execFileSync('bash', [path.resolve(__dirname, '../../../scripts/standin-images.sh'), image], {
    stdio: 'inherit',
    timeout: 900_000,
  });
}

export interface TaskSpec {
  name?: string;
  toml?: string;
  dockerfile?: string;
  testSh?: string;
  solveSh?: string | null;
  extraTests?: Record<string, string>;
}

/** Writes a task folder under a fresh temp dir and loads it with the real loader. */
export async function makeTask(spec: TaskSpec = {}): Promise<Task> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'aa-h2-task-'));
  const dir = path.join(root, spec.name ?? 'tiny-task');
  const write = async (rel: string, text: string, mode = 0o644): Promise<void> => {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text, { mode });
  };
  await write(
    'task.toml',
    spec.toml ??
      'version = "1.0"\n[environment]\nmemory_mb = 256\nallow_internet = false\n[agent]\ntimeout_sec = 60\n[verifier]\ntimeout_sec = 30\n',
  );
  await write('instruction.md', 'Write "hello" to /app/out.txt.\n');
  await write('environment/Dockerfile', spec.dockerfile ?? 'FROM debian:bookworm-slim\nWORKDIR /app\n');
  await write(
    'tests/test.sh',
    spec.testSh ??
      'if [ "$(cat /app/out.txt 2>/dev/null)" = hello ]; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n',
    0o755,
  );
  for (const [rel, text] of Object.entries(spec.extraTests ?? {})) await write(`tests/${rel}`, text);
  if (spec.solveSh !== null) await write('solution/solve.sh', spec.solveSh ?? 'echo hello > /app/out.txt\n', 0o755);
  return loadTask(dir);
}

export async function containersForTrial(trialId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`autoagent.trial=${trialId}`] } });
}

export const tmpDir = (prefix: string): Promise<string> => fs.mkdtemp(path.join(os.tmpdir(), prefix));
