/**
 * The agents a trial can run, behind one signature (AgentRunner): the oracle (the task's reference
 * solution: proves a task is solvable), the no-op (proves the tests do not pass by themselves) and the
 * harness agent (the runtime in src/agent, loaded lazily so sandbox-only callers never load the LLM stack).
 */
import type { TrajectoryRecorder } from '../agent/atif/recorder';
import type { AgentOutcome } from '../agent/harness-agent';
import type { Harness } from '../harness/schema';
import { zeroUsage } from '../llm/usage';
import type { Sandbox } from '../sandbox/types';
import type { Task } from '../tasks/types';
import type { AgentKind } from './types';

/** The agent runtime's outcome type; a type-only import, so the LLM stack still loads lazily. */
export type { AgentOutcome };

export interface AgentContext {
  task: Task;
  sandbox: Sandbox;
  recorder: TrajectoryRecorder;
  /** Epoch ms: the task's agent timeout. */
  deadlineMs: number;
  signal?: AbortSignal;
  heartbeat?: (d: unknown) => void;
}

export type AgentRunner = (ctx: AgentContext) => Promise<AgentOutcome>;

const SOLUTION_DIR = '/solution';
const ORACLE_OUTPUT_BYTES = 32 * 1024;

const remainingSec = (deadlineMs: number): number => Math.max(1, Math.ceil((deadlineMs - Date.now()) / 1000));

const noopAgent: AgentRunner = async () => ({
  stopReason: 'noop',
  turns: 0,
  usage: zeroUsage(),
  error: null,
  finalMessage: null,
});

const oracleAgent: AgentRunner = async ({ task, sandbox, recorder, deadlineMs }) => {
  const base = { turns: 1, usage: zeroUsage(), finalMessage: null };
  if (!task.paths.solutionDir || !task.paths.solveScript) {
    return { ...base, turns: 0, stopReason: 'error', error: `task ${task.name} has no solution/solve.sh` };
  }
  await sandbox.putDir(task.paths.solutionDir, SOLUTION_DIR);
  const command = `bash ${SOLUTION_DIR}/solve.sh`;
  const r = await sandbox.exec(command, { timeoutSec: remainingSec(deadlineMs), maxOutputBytes: ORACLE_OUTPUT_BYTES });
  const content = [
    r.stdout,
    r.stderr ? `--- stderr ---\n${r.stderr}` : '',
    `[exit ${r.timedOut ? 'timeout' : r.exitCode}]`,
  ]
    .filter(Boolean)
    .join('\n');
  recorder.addStep({
    source: 'agent',
    message: 'oracle: run the reference solution',
    llmCallCount: 0, // a fixed command, no model: Harbor's deterministic-dispatch step
    toolCalls: [{ id: 'oracle-1', name: 'bash', arguments: { command } }],
    observations: [{ toolCallId: 'oracle-1', content, isError: r.timedOut || r.exitCode !== 0 }],
  });
  if (r.timedOut) return { ...base, stopReason: 'timeout', error: null };
  return { ...base, stopReason: 'oracle', error: r.exitCode === 0 ? null : `solve.sh exited ${r.exitCode}` };
};

function harnessAgent(harness: Harness): AgentRunner {
  return async (ctx) => {
    const { runHarnessAgent } = await import('../agent/harness-agent');
    return runHarnessAgent({
      harness,
      taskName: ctx.task.name,
      instruction: ctx.task.instruction,
      sandbox: ctx.sandbox,
      recorder: ctx.recorder,
      deadlineMs: ctx.deadlineMs,
      signal: ctx.signal,
      onProgress: ctx.heartbeat ? (e) => ctx.heartbeat?.({ phase: 'agent', ...e }) : undefined,
    });
  };
}

/** The runner for a kind (an explicit override wins: tests and benchmarks inject their own). */
export function agentFor(kind: AgentKind, harness: Harness | undefined, override?: AgentRunner): AgentRunner {
  if (override) return override;
  if (kind === 'oracle') return oracleAgent;
  if (kind === 'noop') return noopAgent;
  if (!harness) throw new Error("agent kind 'harness' needs spec.harness");
  return harnessAgent(harness);
}
