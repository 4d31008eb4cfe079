/**
 * runTrial: one agent on one task, one repeat, as a short pipeline —
 *   ensureImage → start sandbox → agent (deadline) → verifier (only after the agent) → remove (always)
 * → write outDir/<trialId>/{result.json, trajectory.json, verifier.log, build.log}.
 * Task-level failures (bad image, agent crash or timeout, missing reward) give reward 0 and an `error`;
 * only systemic faults (Docker unreachable, cancellation, unwritable outDir) throw.
 */
import * as path from 'node:path';
import { TrajectoryRecorder } from '../agent/atif';
import type { Harness } from '../harness/schema';
import { zeroUsage } from '../llm/usage';
import { DockerUnavailableError, ImageBuildError } from '../sandbox/errors';
import { DockerSandboxProvider, type SandboxProvider } from '../sandbox/provider';
import type { Sandbox } from '../sandbox/types';
import type { Task } from '../tasks/types';
import { runVerifier, type VerifierResult } from '../verifier/verify';
import { agentFor, type AgentOutcome, type AgentRunner } from './agents';
import { TRIAL_FILES, writeTrialFiles } from './artifacts';
import { describeError } from './errors';
import { runAgentWithDeadline, withHeartbeat } from './phases';
import { trialIdFor } from './trial-id';
import type { AgentKind, TrialResult } from './types';

export type { AgentRunner, AgentOutcome } from './agents';
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
}

let defaultProvider: SandboxProvider | null = null;
const providerFor = (spec: TrialSpec): SandboxProvider => spec.provider ?? (defaultProvider ??= new DockerSandboxProvider());

const NOT_RUN: VerifierResult = { reward: 0, reason: 'verifier not run', exitCode: null, output: '', durationMs: 0 };

/** Mutable record the phases fill in; turned into a TrialResult at the end. */
interface TrialState {
  buildMs: number; startMs: number; agentMs: number;
  buildLog: string | null;
  outcome: AgentOutcome | null;
  verifier: VerifierResult;
  error: string | null;
}

function identify(spec: TrialSpec): { trialId: string; harnessId: string | null; model: string | null } {
  if (spec.agent === 'harness' && !spec.harness) throw new Error("runTrial: agent 'harness' needs spec.harness");
  const harnessId = spec.agent === 'harness' ? spec.harness!.id : null;
  const model = spec.agent === 'harness' ? spec.harness!.config.model : null;
  const trialId = spec.trialId ?? trialIdFor({ taskHash: spec.task.hash, agentKey: harnessId ?? spec.agent, model, repeat: spec.repeat, taskName: spec.task.name });
  return { trialId, harnessId, model };
}

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('trial cancelled');
}

async function runPhases(spec: TrialSpec, trialId: string, recorder: TrajectoryRecorder, st: TrialState): Promise<void> {
  const provider = providerFor(spec);
  const beat = (phase: string, fn: () => Promise<unknown>): Promise<unknown> => withHeartbeat(spec.heartbeat, { trialId, phase }, fn);
  const img = await withHeartbeat(spec.heartbeat, { trialId, phase: 'build' }, () => provider.ensureImage(spec.task));
  st.buildMs = img.buildMs;
  st.buildLog = img.built ? img.buildLog : null;
  throwIfCancelled(spec.signal);
  const t0 = Date.now();
  const sandbox: Sandbox = await provider.start(spec.task, { image: img.image, trialId });
  st.startMs = Date.now() - t0;
  try {
    const tA = Date.now();
    await beat('agent', async () => {
      st.outcome = await runAgentWithDeadline(agentFor(spec.agent, spec.harness, spec.runAgent), {
        task: spec.task, sandbox, recorder, heartbeat: spec.heartbeat, signal: spec.signal, timeoutSec: spec.task.config.agent.timeoutSec,
      });
    });
    st.agentMs = Date.now() - tA;
    throwIfCancelled(spec.signal);
    await beat('verify', async () => { st.verifier = await runVerifier(sandbox, spec.task); });
  } finally {
    await sandbox.remove();
  }
}

function toResult(spec: TrialSpec, ids: ReturnType<typeof identify>, st: TrialState, startedAt: Date, trajectoryPath: string): TrialResult {
  const o = st.outcome;
  return {
    trialId: ids.trialId, task: spec.task.name, agent: spec.agent, harnessId: ids.harnessId, model: ids.model, repeat: spec.repeat,
    reward: st.error ? 0 : st.verifier.reward,
    // The first failure is the one worth reading; an agent timeout keeps the verifier's reward (Harbor).
    error: st.error ?? o?.error ?? st.verifier.reason,
    failure: null, // structured failure: filled in by the faults-vs-results work
    stopReason: o?.stopReason ?? 'error', turns: o?.turns ?? 0, usage: o?.usage ?? zeroUsage(),
    verifier: { reward: st.verifier.reward, reason: st.verifier.reason, exitCode: st.verifier.exitCode, output: st.verifier.output },
    timings: { buildMs: st.buildMs, startMs: st.startMs, agentMs: st.agentMs, verifyMs: st.verifier.durationMs, totalMs: Date.now() - startedAt.getTime() },
    trajectoryPath, startedAt: startedAt.toISOString(),
  };
}

export async function runTrial(spec: TrialSpec): Promise<TrialResult> {
  const startedAt = new Date();
  const ids = identify(spec);
  const dir = path.resolve(spec.outDir, ids.trialId);
  const recorder = new TrajectoryRecorder({
    sessionId: ids.trialId, agentName: spec.agent === 'harness' ? 'autoagent-harness' : `autoagent-${spec.agent}`, model: ids.model,
    extra: { task: spec.task.name, taskHash: spec.task.hash, harnessId: ids.harnessId, repeat: spec.repeat },
  });
  const st: TrialState = { buildMs: 0, startMs: 0, agentMs: 0, buildLog: null, outcome: null, verifier: NOT_RUN, error: null };
  try {
    await runPhases(spec, ids.trialId, recorder, st);
  } catch (err) {
    if (err instanceof DockerUnavailableError || spec.signal?.aborted) throw err;
    st.error = describeError(err);
    if (err instanceof ImageBuildError) st.buildLog = err.logTail;
  }
  const result = toResult(spec, ids, st, startedAt, path.join(dir, TRIAL_FILES.trajectory));
  recorder.finish({ usage: result.usage, turns: result.turns, durationMs: st.agentMs, stopReason: result.stopReason });
  await writeTrialFiles(dir, { result, trajectory: recorder.toJSON(), verifierOutput: st.verifier.output, buildLog: st.buildLog });
  return result;
}
