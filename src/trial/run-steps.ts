/**
 * A multi-step task's trial: its steps in order, in one agent container. Before each step its workdir/
 * files are copied into the container's working directory and workdir/setup.sh runs; the agent gets the
 * step's instruction; the step's tests grade it (every agent process is killed first, as for any trial);
 * the last shared verifier's /tests and /logs/verifier are removed before the next agent starts. A step
 * whose setup fails, or whose rewards fall below its `min_reward`, ends the trial there. The trial's reward
 * follows `multi_step_reward_strategy` (multi-step.ts); each step's result is kept in the trial record.
 * Each step's artifacts (the task's, the step's own and /logs/artifacts) are collected after its agent and
 * before its tests, as Harbor 0.26 does in both verifier modes (a separate verifier's run ends the agent's
 * container after the last step).
 */
import { promises as fs } from 'node:fs';
import type { TrajectoryRecorder } from '../agent/atif/recorder';
import { awaitHealthy } from '../sandbox/healthcheck';
import type { TrialSandbox } from '../sandbox/types';
import type { Task } from '../tasks/types';
import { shellQuote } from '../util/shell';
import type { VerifierResult } from '../verifier/verify';
import type { AgentOutcome } from './agents';
import type { CollectedArtifact } from './collect-artifacts';
import { aggregateSteps, gateFailure, stepTestsDir, stepView } from './multi-step';
import type { StepResult, TrialPhase } from './types';

class StepSetupError extends Error {
  override readonly name = 'StepSetupError';
  constructor(step: string, exitCode: number | null, stderr: string) {
    super(
      `step "${step}": workdir/setup.sh exited ${exitCode ?? 'abnormally'}${stderr.trim() ? `: ${stderr.trim().slice(-300)}` : ''}`,
    );
  }
}

/** A step's verifier output and reward (null: none given), for steps/<name>/verifier/ (Harbor's layout). */
export interface StepVerifierFiles {
  name: string;
  output: string;
  reward: number | null;
}

export interface StepsState {
  outcome: AgentOutcome | null;
  verifier: VerifierResult;
  phase: TrialPhase;
  steps?: StepResult[];
  stepVerifiers: StepVerifierFiles[];
}

export async function runSteps(
  task: Task,
  ctx: {
    sandbox: TrialSandbox;
    recorder: TrajectoryRecorder;
    st: StepsState;
    agentOn: (task: Task) => Promise<void>;
    verifyOn: (task: Task, opts: { last: boolean }) => Promise<VerifierResult>;
    /** A step's collection pass (its view: the task's artifacts and hooks plus the step's), for steps/<name>/artifacts/. */
    collectStep: (view: Task, step: string, last: boolean) => Promise<CollectedArtifact[]>;
    beat: (phase: string, fn: () => Promise<unknown>) => Promise<unknown>;
  },
): Promise<void> {
  const steps = task.steps ?? [];
  const { sandbox, st } = ctx;
  const verified: { name: string; verifier: VerifierResult }[] = [];
  st.steps = [];
  const tmpDirs: string[] = [];
  try {
    for (const [i, step] of steps.entries()) {
      const last = i === steps.length - 1;
      const testsDir = await stepTestsDir(task, step);
      tmpDirs.push(testsDir);
      const view = stepView(task, step, testsDir);
      st.phase = 'start';
      if (i > 0) await sandbox.exec('rm -rf /tests /logs/verifier', { timeoutSec: 60, user: '0' });
      const workdir = (await sandbox.workingDir()) ?? '/';
      if (step.workdirDir) await sandbox.putDir(step.workdirDir, workdir);
      if (step.setupScript) {
        const r = await sandbox.exec(`bash ${shellQuote(`${workdir.replace(/\/$/, '')}/setup.sh`)}`, {
          timeoutSec: view.config.agent.timeoutSec,
          cwd: workdir,
        });
        if (r.exitCode !== 0) throw new StepSetupError(step.name, r.exitCode, r.stderr);
      }
      const hc = step.config.healthcheck;
      if (hc) await ctx.beat('start', () => awaitHealthy(sandbox, hc));
      ctx.recorder.addStep({
        source: 'system',
        message: `Task step ${i + 1}/${steps.length}: ${step.name}`,
        extra: { task_step: step.name },
      });
      const before = { turns: st.outcome?.turns ?? 0 };
      const t0 = Date.now();
      await ctx.agentOn(view);
      const agentMs = Date.now() - t0;
      const artifacts = await ctx.collectStep(view, step.name, last);
      const verifyStartedAt = new Date().toISOString();
      const verifier = await ctx.verifyOn(view, { last });
      verified.push({ name: step.name, verifier });
      st.stepVerifiers.push({
        name: step.name,
        output: verifier.output,
        reward: verifier.reason === null && verifier.exitCode !== null ? verifier.reward : null,
      });
      st.steps.push({
        name: step.name,
        reward: verifier.reward,
        ...(verifier.rewards ? { rewards: verifier.rewards } : {}),
        reason: verifier.reason,
        exitCode: verifier.exitCode,
        turns: (st.outcome?.turns ?? 0) - before.turns,
        stopReason: st.outcome?.stopReason ?? 'error',
        agentMs,
        verifyMs: verifier.durationMs,
        agentStartedAt: new Date(t0).toISOString(),
        verifyStartedAt,
        ...(artifacts.length > 0 ? { artifacts } : {}),
      });
      const stop = gateFailure(step, verifier);
      if (stop && !last) {
        ctx.recorder.addStep({ source: 'system', message: stop, extra: { task_step: step.name, gated: true } });
        break;
      }
    }
  } finally {
    st.verifier = aggregateSteps(verified, task.config.multiStepRewardStrategy);
    await Promise.all(tmpDirs.map((d) => fs.rm(d, { recursive: true, force: true })));
  }
}
