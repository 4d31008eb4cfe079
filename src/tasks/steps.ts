/**
 * Multi-step tasks (Harbor schema 1.4, `[[steps]]`): each step lives in `steps/<name>/` with its own
 * instruction.md, optional tests/ (laid over the task's tests/; its test.sh, else the task's, runs),
 * workdir/ (copied into the container's working directory before the step; workdir/setup.sh then runs) and
 * solution/solve.sh (what the oracle runs for the step).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StepConfig } from './config';
import { TaskLoadError } from './errors';

export interface TaskStep {
  name: string;
  instruction: string;
  /** steps/<name>/tests, or null when the step has none (the task's tests/ alone). */
  testsDir: string | null;
  workdirDir: string | null;
  setupScript: string | null;
  solveScript: string | null;
  config: StepConfig;
}

const isFile = (p: string): Promise<boolean> =>
  fs.stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
const isDir = (p: string): Promise<boolean> =>
  fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

export async function loadSteps(
  root: string,
  steps: StepConfig[],
  sharedTestScript: string | null,
  taskToml: string,
): Promise<TaskStep[]> {
  return Promise.all(
    steps.map(async (config, i): Promise<TaskStep> => {
      const dir = path.join(root, 'steps', config.name);
      if (!(await isDir(dir)))
        throw new TaskLoadError({
          file: taskToml,
          field: `steps[${i}].name`,
          problem: `no folder steps/${config.name}/`,
        });
      const instructionFile = path.join(dir, 'instruction.md');
      const instruction = await fs.readFile(instructionFile, 'utf8').catch(() => null);
      if (instruction === null)
        throw new TaskLoadError({
          file: instructionFile,
          field: null,
          problem: `step "${config.name}" has no instruction.md`,
        });
      if (instruction.trim() === '')
        throw new TaskLoadError({ file: instructionFile, field: null, problem: 'instruction.md is empty' });
      const testsDir = path.join(dir, 'tests');
      const hasTests = await isDir(testsDir);
      if (!(hasTests && (await isFile(path.join(testsDir, 'test.sh')))) && !sharedTestScript) {
        throw new TaskLoadError({
          file: path.join(testsDir, 'test.sh'),
          field: null,
          problem: `step "${config.name}" has no tests/test.sh, and the task has no tests/test.sh either`,
        });
      }
      const workdirDir = path.join(dir, 'workdir');
      const hasWorkdir = await isDir(workdirDir);
      const setup = path.join(workdirDir, 'setup.sh');
      const solve = path.join(dir, 'solution', 'solve.sh');
      return {
        name: config.name,
        instruction,
        config,
        testsDir: hasTests ? testsDir : null,
        workdirDir: hasWorkdir ? workdirDir : null,
        setupScript: hasWorkdir && (await isFile(setup)) ? setup : null,
        solveScript: (await isFile(solve)) ? solve : null,
      };
    }),
  );
}
