/**
 * runTrial: one agent on one task, one repeat, as a short pipeline —
 *   ensureImage → start sandbox → agent (deadline) → verifier (only after the agent) → remove (always)
 * → write outDir/<trialId>/ in Harbor's trial layout (config.json, result.json, agent/trajectory.json,
 *   verifier/…; our own record in autoagent.json — see artifacts.ts).
 * Task-level failures (bad image, agent crash or timeout, missing reward) give reward 0, an `error` line and a
 * structured `failure`; only systemic faults (Docker unreachable, the model's credentials or API down past the
 * SDK's retries, cancellation, unwritable outDir) throw — and then no result is written at all.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TrajectoryRecorder } from '../agent/atif/recorder';
import type { Harness } from '../harness/schema';
import { isSystemicLlmError } from '../llm/errors';
import { addUsage, zeroUsage } from '../llm/usage';
import { DockerUnavailableError, ImageBuildError, StorageLimitError, isQuotaFull } from '../sandbox/errors';
import { asUser } from '../sandbox/as-user';
import { awaitHealthy } from '../sandbox/healthcheck';
import { DockerSandboxProvider, type SandboxProvider } from '../sandbox/provider';
import { hasOwnVerifierImage, verifierEnvironmentOf } from '../tasks/verifier-environment';
import type { Task } from '../tasks/types';
import { runVerifier, type VerifierResult } from '../verifier/verify';
import { agentFor, type AgentOutcome, type AgentRunner } from './agents';
import { TRIAL_FILES, writeTrialFiles } from './artifacts';
import { describeError } from './errors';
import { firstFailure } from './failure';
import { guardAgentPhase, sealForVerifier } from './guard';
import { collectPass, type HookRun } from './collect-pass';
import { verifySeparately } from './separate-verifier';
import { withHeartbeat } from '../util/heartbeat';
import { runAgentWithDeadline, unlessAborted } from './phases';
import { trialIdFor } from './trial-id';
import { collectArtifacts, type CollectedArtifact } from './collect-artifacts';
import { runSteps, type StepVerifierFiles } from './run-steps';
import type { AgentKind, StepResult, TrialPhase, TrialResult } from './types';

export type { AgentRunner } from './agents';
export { trialIdFor } from './trial-id';

export interface TrialSpec {
  task: Task;
  agent: AgentKind;
  harness?: Harness;
  repeat: number;
  /** Trial files go to outDir/<trialId>/. */
  outDir: string;
  trialId?: string;
  runAgent?: AgentRunner;
  provider?: SandboxProvider;
  signal?: AbortSignal;
  heartbeat?: (detail: unknown) => void;
  /**
   * The reward.json metric that is the trial's reward (`autoagent eval --metric`; absent = `reward`, or a
   * file's only metric). Campaigns leave it out and score recorded metrics themselves (objectiveOf), so one
   * cached trial serves campaigns of any metric.
   */
  metric?: string;
}

let defaultProvider: SandboxProvider | null = null;
const providerFor = (spec: TrialSpec): SandboxProvider =>
  spec.provider ?? (defaultProvider ??= new DockerSandboxProvider());

const NOT_RUN: VerifierResult = { reward: 0, reason: 'verifier not run', exitCode: null, output: '', durationMs: 0 };

/** Mutable record the phases fill in; turned into a TrialResult at the end. */
interface TrialState {
  buildMs: number;
  startMs: number;
  agentMs: number;
  buildLog: string | null;
  outcome: AgentOutcome | null;
  verifier: VerifierResult;
  error: string | null;
  /** The phase running now (so a thrown error is attributed to it). */
  phase: TrialPhase;
  steps?: StepResult[];
  /** Collected after the last agent phase (collect-artifacts.ts): a host folder, written into the trial folder. */
  artifacts?: { dir: string | null; list: CollectedArtifact[] };
  /** A multi-step trial's per-step collections: host folders, written to steps/<name>/artifacts/. */
  stepArtifacts: { name: string; dir: string }[];
  stepVerifiers: StepVerifierFiles[];
  /** [[verifier.collect]] hooks as they ran (a multi-step trial's name their step). */
  hooks: (HookRun & { step?: string })[];
}

/** A multi-step trial's agent outcome: the steps' usage and turns added up; the last step's stop reason. */
function mergeOutcomes(a: AgentOutcome, b: AgentOutcome): AgentOutcome {
  return {
    stopReason: b.stopReason,
    turns: a.turns + b.turns,
    usage: addUsage(a.usage, b.usage),
    error: a.error ?? b.error,
    finalMessage: b.finalMessage,
  };
}

function identify(spec: TrialSpec): { trialId: string; harnessId: string | null; model: string | null } {
  if (spec.agent === 'harness' && !spec.harness) throw new Error("runTrial: agent 'harness' needs spec.harness");
  const harnessId = spec.agent === 'harness' ? spec.harness!.id : null;
  const model = spec.agent === 'harness' ? spec.harness!.config.model : null;
  const trialId =
    spec.trialId ??
    trialIdFor({
      taskHash: spec.task.hash,
      agentKey: harnessId ?? spec.agent,
      model,
      repeat: spec.repeat,
      taskName: spec.task.name,
    });
  return { trialId, harnessId, model };
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('trial cancelled');
}

async function runPhases(
  spec: TrialSpec,
  trialId: string,
  recorder: TrajectoryRecorder,
  st: TrialState,
): Promise<void> {
  const provider = providerFor(spec);
  const beat = (phase: string, fn: () => Promise<unknown>): Promise<unknown> =>
    withHeartbeat(spec.heartbeat, { trialId, phase }, fn);
  const img = await withHeartbeat(spec.heartbeat, { trialId, phase: 'build' }, () => provider.ensureImage(spec.task));
  // A separate verifier with an image of its own (tests/Dockerfile, [verifier.environment].docker_image) is
  // built here too, so its build never counts against the verifier's timeout.
  const separate = spec.task.config.verifier.environmentMode === 'separate';
  const verifierTask = separate ? verifierEnvironmentOf(spec.task) : null;
  const verifierImg =
    verifierTask && hasOwnVerifierImage(spec.task)
      ? await withHeartbeat(spec.heartbeat, { trialId, phase: 'build' }, () => provider.ensureImage(verifierTask))
      : img;
  st.buildMs = img.buildMs + (verifierImg === img ? 0 : verifierImg.buildMs);
  st.buildLog =
    [img, ...(verifierImg === img ? [] : [verifierImg])]
      .filter((i) => i.built)
      .map((i) => i.buildLog)
      .join('') || null;
  throwIfCancelled(spec.signal);
  st.phase = 'start';
  const t0 = Date.now();
  const sandbox = await provider.start(spec.task, { image: img.image, trialId });
  st.startMs = Date.now() - t0;
  try {
    const healthcheck = spec.task.config.environment.healthcheck;
    if (healthcheck) {
      await beat('start', () => awaitHealthy(sandbox, healthcheck)); // a task whose environment never gets healthy scores 0
      st.startMs = Date.now() - t0;
    }
    // The agent then the verifier, on the task as a whole or as one of its steps sees it.
    const agentOn = async (task: Task): Promise<void> => {
      throwIfCancelled(spec.signal);
      st.phase = 'agent';
      const tA = Date.now();
      try {
        // The agent acts on a fenced sandbox under the storage_mb watchdog (guard.ts); its outcome (usage, turns)
        // is kept even when the watchdog then fails the trial.
        // A cancelled trial (spec.signal) does not wait for the agent: removing the sandbox ends it.
        await unlessAborted(
          spec.signal,
          beat('agent', () =>
            guardAgentPhase(sandbox, task, spec.signal, async (box, signal) => {
              const outcome = await runAgentWithDeadline(agentFor(spec.agent, spec.harness, spec.runAgent), {
                task,
                sandbox: asUser(box, task.config.agent.user), // [agent].user: its commands and file tools
                recorder,
                heartbeat: spec.heartbeat,
                signal,
                timeoutSec: task.config.agent.timeoutSec,
              });
              st.outcome = st.outcome ? mergeOutcomes(st.outcome, outcome) : outcome;
            }),
          ),
        );
      } finally {
        st.agentMs += Date.now() - tA;
      }
    };
    const verifyOn = async (task: Task, opts: { last: boolean }): Promise<VerifierResult> => {
      throwIfCancelled(spec.signal);
      st.phase = 'verifier';
      let out: VerifierResult = NOT_RUN;
      if (opts.last) {
        // A single-step task's collection pass (hooks, then its artifacts); a multi-step task's hooks run per step.
        const got = spec.task.steps
          ? { ...(await collectArtifacts(sandbox, spec.task)), hooks: [] }
          : await collectPass(sandbox, spec.task, { stopMainBeforeServices: verifierTask !== null });
        st.artifacts = { dir: got.dir, list: got.artifacts };
        st.hooks.push(...got.hooks);
      }
      await beat('verify', async () => {
        if (verifierTask) {
          // A fresh container of the verifier's image, given only the agent's artifacts (Harbor's strongest form).
          out = await verifySeparately({
            agentBox: sandbox,
            task,
            keepAgent: !opts.last,
            ...(spec.metric ? { metric: spec.metric } : {}),
            startVerifierBox: () =>
              provider.start(verifierTask, { image: verifierImg.image, trialId, withServices: false }),
          });
          return;
        }
        await sealForVerifier(sandbox, task); // no agent process survives; tampering with the system scores 0
        out = await runVerifier(sandbox, task, spec.metric ? { metric: spec.metric } : {});
      });
      return out;
    };
    if (spec.task.steps) {
      const collectStep = async (view: Task, step: string, last: boolean): Promise<CollectedArtifact[]> => {
        const separate = verifierTask !== null;
        const got = await collectPass(sandbox, view, { stopMainBeforeServices: separate && last });
        if (got.dir) st.stepArtifacts.push({ name: step, dir: got.dir });
        st.hooks.push(...got.hooks.map((h) => ({ ...h, step })));
        return got.artifacts;
      };
      await runSteps(spec.task, { sandbox, recorder, st, agentOn, verifyOn, beat, collectStep });
    } else {
      await agentOn(spec.task);
      st.verifier = await verifyOn(spec.task, { last: true });
    }
  } finally {
    const during = st.phase; // an error of the phase in flight must stay attributed to it
    st.phase = 'teardown';
    await sandbox.remove();
    st.phase = during;
  }
}

function toResult(
  spec: TrialSpec,
  ids: ReturnType<typeof identify>,
  st: TrialState,
  startedAt: Date,
  trajectoryPath: string,
): TrialResult {
  const o = st.outcome;
  return {
    trialId: ids.trialId,
    task: spec.task.name,
    agent: spec.agent,
    harnessId: ids.harnessId,
    model: ids.model,
    repeat: spec.repeat,
    reward: st.error ? 0 : st.verifier.reward,
    // The first failure is the one worth reading; an agent timeout keeps the verifier's reward (Harbor).
    error: st.error ?? o?.error ?? st.verifier.reason,
    failure: firstFailure({
      thrown: st.error ? { phase: st.phase, error: st.error } : null,
      agentError: o?.error ?? null,
      verifierReason: st.verifier.reason,
    }),
    stopReason: o?.stopReason ?? 'error',
    turns: o?.turns ?? 0,
    usage: o?.usage ?? zeroUsage(),
    verifier: {
      reward: st.verifier.reward,
      reason: st.verifier.reason,
      exitCode: st.verifier.exitCode,
      output: st.verifier.output,
      // A trial failed outright keeps no metrics: none of them may score it (objectiveOf).
      ...(st.verifier.rewards && !st.error ? { rewards: st.verifier.rewards } : {}),
    },
    ...(st.steps ? { steps: st.steps } : {}),
    ...(st.hooks.length > 0 ? { collectHooks: st.hooks } : {}),
    ...(st.artifacts?.list.length ? { artifacts: st.artifacts.list } : {}),
    timings: {
      buildMs: st.buildMs,
      startMs: st.startMs,
      agentMs: st.agentMs,
      verifyMs: st.verifier.durationMs,
      totalMs: Date.now() - startedAt.getTime(),
    },
    trajectoryPath,
    startedAt: startedAt.toISOString(),
  };
}

export async function runTrial(spec: TrialSpec): Promise<TrialResult> {
  const startedAt = new Date();
  const ids = identify(spec);
  const dir = path.resolve(spec.outDir, ids.trialId);
  const recorder = new TrajectoryRecorder({
    sessionId: ids.trialId,
    agentName: spec.agent === 'harness' ? 'autoagent-harness' : `autoagent-${spec.agent}`,
    model: ids.model,
    extra: { task: spec.task.name, taskHash: spec.task.hash, harnessId: ids.harnessId, repeat: spec.repeat },
  });
  const st: TrialState = {
    buildMs: 0,
    startMs: 0,
    agentMs: 0,
    buildLog: null,
    outcome: null,
    verifier: NOT_RUN,
    error: null,
    phase: 'build',
    stepArtifacts: [],
    stepVerifiers: [],
    hooks: [],
  };
  try {
    try {
      await runPhases(spec, ids.trialId, recorder, st);
    } catch (err) {
      // Systemic: nothing is written, so a rerun (or the activity's retry) starts clean.
      if (err instanceof DockerUnavailableError || isSystemicLlmError(err) || spec.signal?.aborted) throw err;
      const storageMb = spec.task.config.environment.storageMb;
      st.error = describeError(
        isQuotaFull(err) && !(err instanceof StorageLimitError)
          ? StorageLimitError.quotaFull(storageMb, describeError(err))
          : err,
      );
      if (err instanceof ImageBuildError) st.buildLog = err.logTail;
    }
    const result = toResult(spec, ids, st, startedAt, path.join(dir, TRIAL_FILES.trajectory));
    recorder.finish({
      usage: result.usage,
      turns: result.turns,
      durationMs: st.agentMs,
      stopReason: result.stopReason,
    });
    await writeTrialFiles(dir, {
      result,
      trajectory: recorder.toJSON(),
      verifierOutput: st.verifier.output,
      buildLog: st.buildLog,
      task: spec.task,
      artifactsDir: st.artifacts?.dir ?? null,
      stepArtifacts: st.stepArtifacts,
      stepVerifiers: st.stepVerifiers,
    });
    return result;
  } finally {
    const dirs = [...(st.artifacts?.dir ? [st.artifacts.dir] : []), ...st.stepArtifacts.map((a) => a.dir)];
    await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
  }
}
