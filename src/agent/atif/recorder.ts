/**
 * TrajectoryRecorder: builds an ATIF trajectory incrementally while an agent runs, so a timeout or
 * crash still leaves a valid partial trajectory (toJSON works at any point). Everything recorded is
 * redacted of API keys on the way in. Writes ATIF v1.8: sub-agent recorders are embedded in the root's
 * `subagent_trajectories` (each with its own `trajectory_id`) and linked by that id from the delegating tool
 * call's observation (or from a system step when no call id); an agent step that called the model says
 * `llm_call_count: 1`, one that ran no model (the oracle's command) 0; a failed tool's result carries
 * `extra.is_error`. A recorder with no step yet still yields a valid file: one system step saying so.
 */
import { addUsage, zeroUsage, type Usage } from '../../llm/usage';
import { TrajectoryError } from './errors';
import type { ObservationResult } from './observation';
import { redactDeep, redactString } from './redact';
import type { Step, StepSource } from './step';
import type { ToolCall } from './tool-call';
import type { Trajectory } from './trajectory';
import { metricsToUsage, usageToFinalMetrics, usageToMetrics } from './usage-metrics';
import { ATIF_SCHEMA_VERSION, AUTOAGENT_AGENT_VERSION } from './version';

export interface RecorderOptions {
  sessionId: string;
  agentName: string;
  agentVersion?: string;
  model: string | null;
  extra?: Record<string, unknown>;
  /** Clock override for deterministic tests. */
  now?: () => Date;
}

export interface ObservationInput {
  toolCallId: string | null;
  content: string;
  isError?: boolean;
}

export interface StepInput {
  source: StepSource;
  message: string;
  reasoning?: string;
  toolCalls?: { id: string; name: string; arguments: unknown }[];
  observations?: ObservationInput[];
  model?: string;
  usage?: Usage;
  /** LLM inferences behind an agent step; defaults to 1 when `usage` is given (one model call). */
  llmCallCount?: number;
  extra?: Record<string, unknown>;
}

export interface FinishInput {
  usage: Usage;
  turns: number;
  durationMs: number;
  stopReason: string;
}

interface SubagentEntry {
  name: string;
  recorder: TrajectoryRecorder;
  toolCallId: string | null;
  /** Its `trajectory_id`: the session id, suffixed by position when a sibling already has that one. */
  trajectoryId: string;
}

export class TrajectoryRecorder {
  readonly sessionId: string;
  private readonly opts: RecorderOptions;
  private readonly steps: Step[] = [];
  private readonly subagents: SubagentEntry[] = [];
  private toolDefinitions: Record<string, unknown>[] | null = null;
  private finished: FinishInput | null = null;

  constructor(opts: RecorderOptions) {
    this.opts = opts;
    this.sessionId = opts.sessionId;
  }

  /** Appends a step and returns its step_id (1-based). */
  addStep(input: StepInput): number {
    const id = this.steps.length + 1;
    const agentOnly = input.source === 'agent';
    if (!agentOnly && (input.toolCalls?.length || input.usage || input.reasoning !== undefined || input.model)) {
      throw new TrajectoryError(`step ${id}: tool calls, usage, reasoning and model are only allowed on agent steps`);
    }
    const step: Step = {
      step_id: id,
      timestamp: this.now().toISOString(),
      source: input.source,
      message: redactString(input.message),
    };
    if (input.model) step.model_name = input.model;
    if (input.reasoning !== undefined) step.reasoning_content = redactString(input.reasoning);
    if (input.toolCalls?.length) step.tool_calls = input.toolCalls.map(toToolCall);
    if (input.usage) step.metrics = usageToMetrics(input.usage);
    const calls = input.llmCallCount ?? (agentOnly && input.usage ? 1 : undefined);
    if (calls !== undefined) {
      if (!agentOnly) throw new TrajectoryError(`step ${id}: llm_call_count is only recorded on agent steps`);
      step.llm_call_count = calls;
    }
    if (input.extra) step.extra = redactDeep(input.extra);
    this.steps.push(step);
    if (input.observations?.length) this.addObservations(id, input.observations);
    return id;
  }

  /** Attaches tool results to an earlier step; a non-null toolCallId must be a call of that step. */
  addObservations(stepId: number, observations: ObservationInput[]): void {
    const step = this.steps[stepId - 1];
    if (!step) throw new TrajectoryError(`addObservations: no step ${stepId} (have ${this.steps.length})`);
    const callIds = new Set((step.tool_calls ?? []).map((c) => c.tool_call_id));
    const results = (step.observation ??= { results: [] }).results;
    for (const o of observations) {
      if (o.toolCallId !== null && !callIds.has(o.toolCallId)) {
        throw new TrajectoryError(`addObservations: step ${stepId} has no tool call "${o.toolCallId}"`);
      }
      const result: ObservationResult = { content: redactString(o.content) };
      if (o.toolCallId !== null) result.source_call_id = o.toolCallId;
      if (o.isError) result.extra = { is_error: true };
      results.push(result);
    }
  }

  /**
   * Embeds a sub-agent's trajectory. With `toolCallId` (the parent's `agent_<name>` call) the
   * reference goes on that call's observation; otherwise a system step records the delegation.
   */
  addSubagentTrajectory(name: string, sub: TrajectoryRecorder, opts: { toolCallId?: string } = {}): void {
    const index = this.subagents.length;
    const toolCallId = opts.toolCallId && this.stepWithCall(opts.toolCallId) ? opts.toolCallId : null;
    const taken = this.subagents.some((s) => s.trajectoryId === sub.sessionId);
    const entry: SubagentEntry = {
      name,
      recorder: sub,
      toolCallId,
      trajectoryId: taken ? `${sub.sessionId}#${index}` : sub.sessionId,
    };
    this.subagents.push(entry);
    if (toolCallId === null) {
      const id = this.addStep({ source: 'system', message: `Sub-agent "${name}" ran (session ${sub.sessionId}).` });
      const step = this.steps[id - 1] as Step;
      step.observation = { results: [{ content: `sub-agent ${name}`, subagent_trajectory_ref: [subagentRef(entry)] }] };
    }
  }

  /** The tools offered to the model (Anthropic tool shape), recorded as `agent.tool_definitions`. */
  setToolDefinitions(tools: readonly { name: string; description?: string; input_schema: unknown }[]): void {
    this.toolDefinitions = redactDeep(
      tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description ?? '', parameters: t.input_schema },
      })),
    );
  }

  finish(input: FinishInput): void {
    this.finished = { ...input, stopReason: redactString(input.stopReason) };
  }

  /** The ATIF trajectory so far (a deep copy; safe to serialize or mutate). */
  toJSON(): Trajectory {
    const steps = this.steps.length ? structuredClone(this.steps) : [this.emptyStep()];
    for (const s of this.subagents) if (s.toolCallId !== null) linkSubagent(steps, s);
    const agent: Trajectory['agent'] = {
      name: this.opts.agentName,
      version: this.opts.agentVersion ?? AUTOAGENT_AGENT_VERSION,
    };
    if (this.opts.model) agent.model_name = this.opts.model;
    if (this.toolDefinitions) agent.tool_definitions = structuredClone(this.toolDefinitions);
    if (this.opts.extra) agent.extra = redactDeep(this.opts.extra);
    const t: Trajectory = {
      schema_version: ATIF_SCHEMA_VERSION,
      session_id: this.sessionId,
      trajectory_id: this.sessionId,
      agent,
      steps,
      final_metrics: this.finalMetrics(steps),
    };
    if (this.subagents.length)
      t.subagent_trajectories = this.subagents.map((s) => ({ ...s.recorder.toJSON(), trajectory_id: s.trajectoryId }));
    return t;
  }

  private finalMetrics(steps: Step[]): Trajectory['final_metrics'] {
    if (this.finished) {
      const f = this.finished;
      return usageToFinalMetrics(f.usage, steps.length, {
        turns: f.turns,
        duration_ms: f.durationMs,
        stop_reason: f.stopReason,
      });
    }
    const sum = steps.reduce((acc, s) => addUsage(acc, metricsToUsage(s.metrics)), zeroUsage());
    return usageToFinalMetrics(sum, steps.length, { finished: false });
  }

  /** Harbor requires a step; a run that recorded none (no-op agent, a trial that failed first) says so. */
  private emptyStep(): Step {
    const why = this.finished ? ` (stop reason: ${this.finished.stopReason})` : '';
    return {
      step_id: 1,
      timestamp: this.now().toISOString(),
      source: 'system',
      message: `No agent step was recorded${why}.`,
      extra: { no_steps: true },
    };
  }

  private stepWithCall(toolCallId: string): Step | undefined {
    return this.steps.find((s) => s.tool_calls?.some((c) => c.tool_call_id === toolCallId));
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }
}

function toToolCall(c: { id: string; name: string; arguments: unknown }): ToolCall {
  const args =
    c.arguments !== null && typeof c.arguments === 'object' && !Array.isArray(c.arguments)
      ? c.arguments
      : { value: c.arguments };
  return { tool_call_id: c.id, function_name: c.name, arguments: redactDeep(args as Record<string, unknown>) };
}

function subagentRef(s: SubagentEntry) {
  return { trajectory_id: s.trajectoryId, session_id: s.recorder.sessionId, extra: { name: s.name } };
}

function linkSubagent(steps: Step[], s: SubagentEntry): void {
  const step = steps.find((st) => st.tool_calls?.some((c) => c.tool_call_id === s.toolCallId));
  if (!step) return;
  const results = (step.observation ??= { results: [] }).results;
  let result = results.find((r) => r.source_call_id === s.toolCallId);
  if (!result) {
    result = { source_call_id: s.toolCallId };
    results.push(result);
  }
  (result.subagent_trajectory_ref ??= []).push(subagentRef(s));
}
