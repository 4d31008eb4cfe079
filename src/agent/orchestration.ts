/**
 * Orchestration switches from harness.yaml around the tool-use loop:
 * - planFirst: one call with tool_choice none asking for a plan, then the normal loop.
 * - verify: when the agent finishes, the named sub-agent checks the work; unless its answer contains
 *   "VERDICT: PASS" its feedback goes back to the agent as a user message and the loop continues
 *   (at most maxRounds verifications; the turn budget is shared across all rounds).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Harness } from '../harness/schema';
import type { LoopOptions, LoopResult } from './loop';
import { runLoop } from './loop';
import { appendUserText } from './messages';
import { runSubAgent, type SubAgentDeps } from './tools/subagents';

export const PLAN_REQUEST =
  'Before using any tools, write a short step-by-step plan for this task: what to inspect, what to change, and how you will check the result.';
const PLAN_PROCEED = 'Now carry out your plan using the tools. Call finish when the task is done and checked.';
const PASS = /VERDICT:\s*PASS/i;

export interface OrchestrationOptions {
  harness: Harness;
  instruction: string;
  /** Loop options minus the per-phase fields. */
  loop: Omit<LoopOptions, 'maxTurns' | 'toolChoice'>;
  subDeps: SubAgentDeps;
}

/** The first user message: the instruction (plus the plan request when planFirst). */
export function initialMessages(h: Harness, instruction: string): Anthropic.MessageParam[] {
  const content: Anthropic.TextBlockParam[] = [{ type: 'text', text: instruction }];
  if (h.config.orchestration.planFirst) content.push({ type: 'text', text: PLAN_REQUEST });
  return [{ role: 'user', content }];
}

export async function runOrchestrated(o: OrchestrationOptions): Promise<LoopResult> {
  const { config } = o.harness;
  const turnsLeft = (): number => config.maxTurns - o.loop.meter.turns;
  if (config.orchestration.planFirst) {
    const plan = await runLoop({ ...o.loop, maxTurns: Math.min(1, turnsLeft()), toolChoice: { type: 'none' } });
    if (plan.stopReason === 'error' || plan.stopReason === 'timeout') return plan;
    appendUserText(o.loop.messages, PLAN_PROCEED);
  }
  const verify = config.orchestration.verify;
  let rounds = 0;
  for (;;) {
    const r = await runLoop({ ...o.loop, maxTurns: turnsLeft() });
    const done = r.stopReason === 'finished' || r.stopReason === 'end_turn';
    if (!done || !verify || rounds >= verify.maxRounds) return r;
    const verifier = o.harness.agents.find((a) => a.name === verify.agent);
    if (!verifier)
      return {
        ...r,
        error: `orchestration.verify.agent "${verify.agent}" is not a sub-agent of this harness; verification skipped`,
      };
    rounds += 1;
    const v = await runSubAgent(o.subDeps, verifier, verifierTask(o.instruction, r), o.loop.session);
    o.loop.meter.addToolUsage(v.usage);
    if (v.stopReason === 'timeout') return { ...r, stopReason: 'timeout' };
    // A verifier that could not answer (API error) does not block the agent's own result.
    if (v.stopReason === 'error' || PASS.test(v.text)) return r;
    const feedback =
      `An independent verifier checked your work (round ${rounds} of ${verify.maxRounds}) and did not accept it:\n\n${v.text}\n\n` +
      'Fix the problems it found, check the result yourself, then call finish again.';
    appendUserText(o.loop.messages, feedback);
    o.loop.recorder.addStep({ source: 'user', message: feedback });
  }
}

function verifierTask(instruction: string, r: LoopResult): string {
  const summary = r.finishSummary ?? r.lastText ?? '(no summary)';
  return (
    `The task given to the agent:\n\n${instruction}\n\nThe agent says it is done. Its summary:\n\n${summary}\n\n` +
    'Check the actual state of the environment (do not trust the summary). End your answer with a line ' +
    '"VERDICT: PASS" if the task is fully and correctly done, otherwise "VERDICT: FAIL" followed by what is wrong.'
  );
}
