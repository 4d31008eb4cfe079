/** A loaded Harbor task: pure data plus the paths of its parts (see docs in load.ts for the file contract). */
import type { TaskConfig } from './config';
import type { TaskStep } from './steps';

export type { TaskStep };

export interface TaskPaths {
  taskToml: string;
  instruction: string;
  environmentDir: string;
  /** environment/Dockerfile, or null when the task names a prebuilt [environment].docker_image instead. */
  dockerfile: string | null;
  testsDir: string;
  /** tests/Dockerfile: the separate verifier's image is built from tests/ (Harbor), else null. */
  verifierDockerfile: string | null;
  testScript: string;
  solutionDir: string | null;
  solveScript: string | null;
}

export interface Task {
  /** [task].name if present, else the folder's basename. */
  name: string;
  /** Absolute path of the task folder. */
  dir: string;
  /** sha256 hex over every file under the folder (relative path + bytes); see hash.ts. */
  hash: string;
  instruction: string;
  config: TaskConfig;
  paths: TaskPaths;
  /** A multi-step task's steps, in order (absent: a single-step task). */
  steps?: TaskStep[];
}
