/**
 * The pure parts of a multi-step trial (Harbor schema 1.4): the task as one step sees it, the tests it runs
 * (the task's tests/ with the step's laid over them), whether a step's rewards stop the rest (`min_reward`),
 * and the trial's reward from the steps' (`multi_step_reward_strategy`: per-key `mean` over the steps that
 * were verified, a missing key counting 0; or the `final` step's). Harbor: harbor/trial/multi_step.py.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Task, TaskStep } from '../tasks/types';
import { objectiveReward, type Rewards } from '../verifier/reward';
import type { VerifierResult } from '../verifier/verify';

/** A host folder holding the step's tests: the task's tests/, then the step's own over them. */
export async function stepTestsDir(task: Task, step: TaskStep): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `aa-step-${step.name}-`));
  const shared = await fs.stat(task.paths.testsDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (shared) await fs.cp(task.paths.testsDir, dir, { recursive: true });
  if (step.testsDir) await fs.cp(step.testsDir, dir, { recursive: true, force: true });
  return dir;
}

/** The task as the agent and verifier of one step see it. */
export function stepView(task: Task, step: TaskStep, testsDir: string): Task {
  const c = task.config;
  return {
    ...task,
    instruction: step.instruction,
    paths: {
      ...task.paths,
      testsDir,
      testScript: path.join(testsDir, 'test.sh'),
      solveScript: step.solveScript,
      solutionDir: step.solveScript ? path.dirname(step.solveScript) : null,
    },
    config: {
      ...c,
      // This step's collection pass: the task's artifacts and hooks, then the step's own (Harbor appends them).
      artifacts: [...new Set([...(c.artifacts ?? []), ...step.config.artifacts])],
      serviceArtifacts: [...(c.serviceArtifacts ?? []), ...step.config.serviceArtifacts],
      agent: {
        ...c.agent,
        timeoutSec: step.config.agentTimeoutSec ?? c.agent.timeoutSec,
        ...(step.config.agentUser !== null ? { user: step.config.agentUser } : {}),
      },
      verifier: {
        ...c.verifier,
        timeoutSec: step.config.verifierTimeoutSec ?? c.verifier.timeoutSec,
        env: { ...c.verifier.env, ...step.config.verifierEnv },
        ...(step.config.verifierUser !== null ? { user: step.config.verifierUser } : {}),
        collect: [...(c.verifier.collect ?? []), ...step.config.collect],
      },
    },
  };
}

const rewardsOf = (v: VerifierResult): Rewards => v.rewards ?? { reward: v.reward };

/** Why the remaining steps do not run (a reward below the step's min_reward), or null. */
export function gateFailure(step: TaskStep, verifier: VerifierResult | null): string | null {
  const min = step.config.minReward;
  if (min === null) return null;
  const rewards = verifier ? rewardsOf(verifier) : {};
  const gates = typeof min === 'number' ? { reward: min } : min;
  for (const [key, threshold] of Object.entries(gates)) {
    const got = rewards[key];
    if (got === undefined || got < threshold)
      return `step "${step.name}": ${key} ${got ?? 'missing'} is below min_reward ${threshold}; the remaining steps did not run`;
  }
  return null;
}

/** The trial's verifier result from its steps' (those that were verified). */
export function aggregateSteps(
  results: { name: string; verifier: VerifierResult }[],
  strategy: 'mean' | 'final',
): VerifierResult {
  const output = results.map((r) => `=== step ${r.name} ===\n${r.verifier.output}`).join('\n');
  const durationMs = results.reduce((a, r) => a + r.verifier.durationMs, 0);
  const last = results.at(-1)?.verifier;
  if (!last) return { reward: 0, reason: 'no step was verified', exitCode: null, output, durationMs };
  if (strategy === 'final') return { ...last, output, durationMs };
  const keys = [...new Set(results.flatMap((r) => Object.keys(rewardsOf(r.verifier))))];
  const rewards = Object.fromEntries(
    keys.map((k) => [k, results.reduce((a, r) => a + (rewardsOf(r.verifier)[k] ?? 0), 0) / results.length]),
  );
  let reward = 0;
  let reason: string | null = null;
  try {
    reward = objectiveReward(rewards);
  } catch (err) {
    reason = (err as Error).message;
  }
  // Each step's own reason stays in its step result; the trial's says only why there is no mean reward.
  return { reward, rewards, reason, exitCode: last.exitCode, output, durationMs };
}
