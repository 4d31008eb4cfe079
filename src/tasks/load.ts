/**
 * Harbor task folders → Task records. A task folder holds task.toml, a non-empty instruction.md,
 * environment/Dockerfile (or task.toml names a prebuilt [environment].docker_image), tests/test.sh and,
 * optionally, solution/solve.sh. Anything missing or malformed is a TaskLoadError naming file and field.
 * A benchmark is either one task folder or a folder whose immediate subfolders with a task.toml are tasks.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseTaskToml } from './config';
import { loadSteps } from './steps';
import { assertSupported } from './supported';
import { TaskLoadError } from './errors';
import { taskHash } from './hash';
import { mapPool } from '../util/pool';
import type { Task, TaskPaths } from './types';

export async function loadTask(dir: string): Promise<Task> {
  const root = path.resolve(dir);
  if (!(await isDir(root)))
    throw new TaskLoadError({ file: root, field: null, problem: 'not a task folder (no such directory)' });
  const p = candidatePaths(root);

  const tomlText = await readRequired(p.taskToml, 'task.toml is missing');
  const config = parseTaskToml(tomlText, p.taskToml);
  assertSupported(config, p.taskToml);

  // A multi-step task's instructions are its steps' (steps.ts); a root instruction.md is then optional.
  const multiStep = config.steps !== undefined;
  const rootInstruction =
    multiStep && !(await isFile(p.instruction)) ? null : await readRequired(p.instruction, 'instruction.md is missing');
  if (rootInstruction !== null && rootInstruction.trim() === '')
    throw new TaskLoadError({ file: p.instruction, field: null, problem: 'instruction.md is empty' });

  const hasDockerfile = await isFile(p.dockerfile);
  if (!hasDockerfile && !config.environment.dockerImage) {
    throw new TaskLoadError({
      file: p.dockerfile,
      field: '[environment].docker_image',
      problem: 'no environment/Dockerfile, and task.toml sets no [environment].docker_image',
    });
  }
  const hasTestScript = await isFile(p.testScript);
  if (!hasTestScript && !multiStep) {
    throw new TaskLoadError({
      file: p.testScript,
      field: null,
      problem: 'tests/test.sh is missing (the verifier entry point)',
    });
  }
  const steps = config.steps
    ? await loadSteps(root, config.steps, hasTestScript ? p.testScript : null, p.taskToml)
    : undefined;
  const instruction = rootInstruction ?? (steps?.[0]?.instruction as string);
  const hasSolve = await isFile(p.solveScript);

  const paths: TaskPaths = {
    ...p,
    dockerfile: hasDockerfile ? p.dockerfile : null,
    verifierDockerfile: (await isFile(p.verifierDockerfile)) ? p.verifierDockerfile : null,
    solutionDir: (await isDir(p.solutionDir)) ? p.solutionDir : null,
    solveScript: hasSolve ? p.solveScript : null,
  };
  return {
    name: config.task.name ?? path.basename(root),
    dir: root,
    hash: await taskHash(root),
    instruction,
    config,
    paths,
    ...(steps ? { steps } : {}),
  };
}

export async function loadBenchmark(dir: string): Promise<Task[]> {
  const root = path.resolve(dir);
  if (!(await isDir(root)))
    throw new TaskLoadError({ file: root, field: null, problem: 'benchmark folder does not exist' });
  if (await isFile(path.join(root, 'task.toml'))) return [await loadTask(root)];

  const entries = await fs.readdir(root, { withFileTypes: true });
  const taskDirs: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && (await isFile(path.join(root, e.name, 'task.toml')))) taskDirs.push(path.join(root, e.name));
  }
  if (taskDirs.length === 0) {
    throw new TaskLoadError({
      file: root,
      field: null,
      problem: 'no tasks found (no task.toml here or in any immediate subfolder)',
    });
  }
  taskDirs.sort();
  // A few at once (it is mostly reading files to hash them); a bad task still fails with the first one's error, in order.
  const loaded = await mapPool(taskDirs, 8, (d) =>
    loadTask(d).then(
      (task) => ({ task }),
      (error: unknown) => ({ error }),
    ),
  );
  const tasks: Task[] = [];
  for (const r of loaded) {
    if ('error' in r) throw r.error;
    tasks.push(r.task);
  }
  assertUniqueNames(tasks);
  return tasks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Task names key trials and reports, so two tasks with one name would silently merge results. */
function assertUniqueNames(tasks: Task[]): void {
  const seen = new Map<string, string>();
  for (const t of tasks) {
    const other = seen.get(t.name);
    if (other) {
      throw new TaskLoadError({
        file: t.paths.taskToml,
        field: '[task].name',
        problem: `duplicate task name "${t.name}" (also used by ${other})`,
      });
    }
    seen.set(t.name, t.dir);
  }
}

function candidatePaths(
  root: string,
): TaskPaths & { dockerfile: string; verifierDockerfile: string; solutionDir: string; solveScript: string } {
  const environmentDir = path.join(root, 'environment');
  const testsDir = path.join(root, 'tests');
  const solutionDir = path.join(root, 'solution');
  return {
    taskToml: path.join(root, 'task.toml'),
    instruction: path.join(root, 'instruction.md'),
    environmentDir,
    dockerfile: path.join(environmentDir, 'Dockerfile'),
    testsDir,
    testScript: path.join(testsDir, 'test.sh'),
    verifierDockerfile: path.join(testsDir, 'Dockerfile'),
    solutionDir,
    solveScript: path.join(solutionDir, 'solve.sh'),
  };
}

async function readRequired(file: string, problem: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TaskLoadError({
      file,
      field: null,
      problem: code === 'ENOENT' ? problem : `cannot read: ${String(err)}`,
    });
  }
}

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function isDir(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
