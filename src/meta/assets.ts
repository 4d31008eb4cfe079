/**
 * The meta-agent's fixed assets (its sandbox environment and its harness) and how to use them:
 * the environment as a pseudo-Task, so the sandbox provider builds and caches its image like any task's
 * (same base layers as the starter tasks), and the meta-harness loaded with the run's model.
 */
import { parseModelRef } from '../llm/provider';
import { join, resolve } from 'node:path';
import { loadHarness } from '../harness/load';
import type { Harness } from '../harness/schema';
import type { Task } from '../tasks/types';
import { metaAssetPath, WORKSPACE_ROOT } from './paths';

const META_TASK_NAME = 'autoagent-meta';

/** The meta sandbox as a Task: no tests or solution, never verified; only its environment is used. */
export function metaTask(opts: { cpus?: number; memoryMb?: number } = {}): Task {
  const envDir = metaAssetPath('environment');
  const dir = resolve(envDir, '..');
  const none = join(dir, 'no-tests');
  return {
    name: META_TASK_NAME,
    dir,
    hash: '',
    instruction: '',
    config: {
      version: '1.0',
      task: { name: META_TASK_NAME, keywords: [], authors: [] },
      metadata: {},
      verifier: { timeoutSec: 1, env: {} },
      agent: { timeoutSec: 1800, writablePaths: [] },
      environment: {
        buildTimeoutSec: 900,
        cpus: opts.cpus ?? 1,
        memoryMb: opts.memoryMb ?? 2048,
        storageMb: 10240,
        allowInternet: false,
        networkMode: 'no-network',
        allowedHosts: [],
        dockerImage: null,
        workdir: WORKSPACE_ROOT,
        env: {},
        healthcheck: null,
        gpus: 0,
        gpuTypes: [],
        os: 'linux',
      },
      multiStepRewardStrategy: 'mean',
      raw: {},
    },
    paths: {
      taskToml: join(dir, 'task.toml'),
      instruction: join(dir, 'instruction.md'),
      environmentDir: envDir,
      dockerfile: join(envDir, 'Dockerfile'),
      testsDir: none,
      verifierDockerfile: null,
      testScript: join(none, 'test.sh'),
      solutionDir: null,
      solveScript: null,
    },
  };
}

/** Turns a meta-agent on the embedded local model gets: a few tokens/s on CPU, and small models loop. */
const LOCAL_META_MAX_TURNS = 20;

/** The fixed meta-harness with `model` as its model (sub-agents without their own model follow it). */
export async function loadMetaHarness(model: string): Promise<Harness> {
  const h = await loadHarness(metaAssetPath('meta-harness'));
  const local = parseModelRef(model).provider === 'local';
  const maxTurns = local ? Math.min(h.config.maxTurns, LOCAL_META_MAX_TURNS) : h.config.maxTurns;
  return { ...h, config: { ...h.config, model, maxTurns } };
}
