/**
 * proposeCandidate: one meta-agent proposal. Builds the workspace (parent harness, experiment log, the
 * parent's TRAIN trials only), starts the meta sandbox, runs the fixed meta-harness with the same agent
 * runtime as task agents (plus the host tool validate_harness, so the agent can check its own work), and
 * reads /workspace/harness back as files. Judging those files (valid? changed? tampering?) is the caller's
 * job, done once (src/activities/proposal-check.ts). A run that did not finish, or left unreadable files,
 * is an `invalid` result with the reason; systemic faults (Docker, the model API) throw so the caller can
 * retry. The sandbox is always removed; the meta-agent's ATIF trajectory is written to outDir/trajectory.json.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TrajectoryRecorder } from '../agent/atif/recorder';
import { writeTrajectory } from '../agent/atif/io';
import { runHarnessAgent, type AgentOutcome } from '../agent/harness-agent';
import { computeHarnessId } from '../harness/files';
import { HarnessError } from '../harness/errors';
import type { LlmClient } from '../llm/client';
import { isSystemicLlmError } from '../llm/errors';
import { zeroUsage, type Usage } from '../llm/usage';
import { DockerSandboxProvider, type SandboxProvider } from '../sandbox/provider';
import type { Sandbox } from '../sandbox/types';
import { loadMetaHarness, metaTask } from './assets';
import { MetaAgentError, MetaWorkspaceError } from './errors';
import { metaInstruction } from './instruction';
import { ProposalResultSchema, ProposeInputSchema, type ProposalResult, type ProposeInput } from './schema';
import { readSandboxHarness } from './sandbox-harness';
import { validateHarnessTool } from './validate-tool';
import { WORKSPACE_HARNESS, WORKSPACE_ROOT } from './paths';
import { assertNoHoldout, buildMetaWorkspace, removeMetaWorkspace } from './workspace';

export const DEFAULT_META_TIMEOUT_SEC = 1800;
const ACCEPTED_STOPS = new Set(['finished', 'end_turn']);

export interface ProposeDeps {
  provider?: SandboxProvider;
  /** Default: the real API from env (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL). */
  llm?: LlmClient;
  /** Gets trajectory.json (and, during the run, the host copy of the workspace). */
  outDir: string;
  signal?: AbortSignal;
  onProgress?: (e: { turn: number; usage: Usage }) => void;
}

type Parsed = ReturnType<typeof ProposeInputSchema.parse>;

export async function proposeCandidate(rawInput: ProposeInput, deps: ProposeDeps): Promise<ProposalResult> {
  const input = ProposeInputSchema.parse(rawInput);
  assertNoHoldout(input.trials, input.holdoutTasks);
  if (computeHarnessId(input.parent.files) !== input.parent.id) {
    throw new MetaWorkspaceError(
      'parent.id',
      `${input.parent.id} does not match the parent's files (${computeHarnessId(input.parent.files)})`,
    );
  }
  await mkdir(deps.outDir, { recursive: true });
  const wsDir = join(deps.outDir, 'workspace');
  await removeMetaWorkspace(wsDir);
  try {
    await buildMetaWorkspace(wsDir, {
      parentFiles: input.parent.files,
      parentId: input.parent.id,
      program: input.program,
      experiments: input.experiments,
      trials: input.trials,
      holdoutTasks: input.holdoutTasks,
      hints: input.hints,
      ...(input.merge ? { merge: input.merge } : {}),
    });
    const provider = deps.provider ?? new DockerSandboxProvider();
    const task = metaTask();
    const { image } = await provider.ensureImage(task);
    const sandbox = await provider.start(task, { image, trialId: sessionIdOf(input) });
    try {
      await sandbox.putDir(wsDir, WORKSPACE_ROOT);
      return ProposalResultSchema.parse(await runAndRead(sandbox, input, deps));
    } finally {
      await sandbox.remove();
    }
  } finally {
    await removeMetaWorkspace(wsDir);
  }
}

function sessionIdOf(input: Parsed): string {
  return `meta-g${input.generation}-p${input.proposalIndex}-${input.parent.id}`;
}

async function runAndRead(sandbox: Sandbox, input: Parsed, deps: ProposeDeps): Promise<ProposalResult> {
  const { outcome, trajectoryPath: trajectoryRef } = await runMetaAgent(sandbox, input, deps);
  const usage = outcome.usage;
  if (outcome.stopReason === 'error') throw new MetaAgentError(outcome.stopReason, outcome.error, trajectoryRef);
  if (!ACCEPTED_STOPS.has(outcome.stopReason)) {
    return {
      kind: 'invalid',
      reason: `meta-agent did not finish (stop reason: ${outcome.stopReason})`,
      usage,
      trajectoryRef,
    };
  }
  let files: Record<string, string>;
  try {
    files = await readSandboxHarness(sandbox, WORKSPACE_HARNESS);
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err; // a sandbox failure is systemic, not a verdict on the harness
    return { kind: 'invalid', reason: `invalid harness: ${err.message}`, usage, trajectoryRef };
  }
  return { kind: 'ok', files, rationale: (outcome.finalMessage ?? '').trim(), usage, trajectoryRef };
}

async function runMetaAgent(
  sandbox: Sandbox,
  input: Parsed,
  deps: ProposeDeps,
): Promise<{ outcome: AgentOutcome; trajectoryPath: string }> {
  const harness = await loadMetaHarness(input.model);
  const recorder = new TrajectoryRecorder({
    sessionId: sessionIdOf(input),
    agentName: 'autoagent-meta',
    model: input.model,
    extra: { parent_id: input.parent.id, generation: input.generation, proposal_index: input.proposalIndex },
  });
  const started = Date.now();
  const trajectoryPath = join(deps.outDir, 'trajectory.json');
  const outcome = await runHarnessAgent({
    harness,
    taskName: 'improve-harness',
    instruction: metaInstruction({
      parentId: input.parent.id,
      generation: input.generation,
      proposalIndex: input.proposalIndex,
      experiments: input.experiments,
      trials: input.trials,
      hasHints: input.hints.length > 0,
      ...(input.merge ? { merge: input.merge } : {}),
    }),
    sandbox,
    recorder,
    deadlineMs: started + (input.timeoutSec ?? DEFAULT_META_TIMEOUT_SEC) * 1000,
    ...(deps.llm ? { llm: deps.llm } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
    hostTools: [validateHarnessTool(sandbox, input.parent)],
  }).catch(async (e: unknown) => {
    if (!isSystemicLlmError(e)) throw e;
    // The model API failed for a systemic reason: keep what the run did so far, and the cause for the activity.
    recorder.finish({ usage: zeroUsage(), turns: 0, durationMs: Date.now() - started, stopReason: 'error' });
    await writeTrajectory(trajectoryPath, recorder.toJSON());
    throw new MetaAgentError('error', `${(e as Error).name}: ${(e as Error).message}`, trajectoryPath, { cause: e });
  });
  recorder.finish({
    usage: outcome.usage,
    turns: outcome.turns,
    durationMs: Date.now() - started,
    stopReason: outcome.stopReason,
  });
  await writeTrajectory(trajectoryPath, recorder.toJSON());
  return { outcome, trajectoryPath };
}
