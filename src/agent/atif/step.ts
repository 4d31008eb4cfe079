/**
 * ATIF StepObject: a system prompt, a user message, or one complete agent turn (LLM output, tool
 * calls, their observations, metrics). Agent-only fields are rejected on system/user steps, an agent
 * step's observation may only answer tool calls made in that same step, and a step of `llm_call_count`
 * 0 (a deterministic dispatch, v1.7) carries no metrics or reasoning — Harbor's rules.
 */
import { z } from 'zod';
import { ContentSchema } from './content';
import { MetricsSchema } from './metrics';
import { ObservationSchema } from './observation';
import { ToolCallSchema } from './tool-call';

const StepSourceSchema = z.enum(['system', 'user', 'agent']);
export type StepSource = z.infer<typeof StepSourceSchema>;

const AGENT_ONLY = ['model_name', 'reasoning_effort', 'reasoning_content', 'tool_calls', 'metrics'] as const;

export const StepSchema = z
  .object({
    step_id: z.number().int().min(1),
    timestamp: z.string().datetime({ offset: true }).optional(),
    source: StepSourceSchema,
    model_name: z.string().optional(),
    reasoning_effort: z.union([z.string(), z.number()]).optional(),
    message: ContentSchema,
    reasoning_content: z.string().optional(),
    tool_calls: z.array(ToolCallSchema).optional(),
    observation: ObservationSchema.optional(),
    metrics: MetricsSchema.optional(),
    /** Copied from an earlier trajectory for context (v1.5): not to be trained on again. */
    is_copied_context: z.boolean().optional(),
    /** LLM inferences this step stands for (v1.7); 0 on an agent step = no LLM was called. */
    llm_call_count: z.number().int().nonnegative().optional(),
    extra: z.record(z.unknown()).optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    if (step.source !== 'agent') {
      for (const key of AGENT_ONLY) {
        if (step[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `only allowed on agent steps (source is "${step.source}")`,
          });
        }
      }
      return;
    }
    if (step.llm_call_count === 0) {
      for (const key of ['metrics', 'reasoning_content'] as const) {
        if (step[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'must be absent when llm_call_count is 0' });
      }
    }
    const ids = new Set((step.tool_calls ?? []).map((c) => c.tool_call_id));
    (step.observation?.results ?? []).forEach((r, i) => {
      if (r.source_call_id != null && !ids.has(r.source_call_id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['observation', 'results', i, 'source_call_id'],
          message: `no tool call "${r.source_call_id}" in this step`,
        });
      }
    });
  });
export type Step = z.infer<typeof StepSchema>;
