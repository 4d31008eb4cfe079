/**
 * ATIF ObservationSchema: environment feedback for a step (tool results, sub-agent delegation).
 * A result's content is text or multimodal parts (v1.6); its `extra` (v1.7) carries our per-result
 * `is_error` flag (a tool that failed).
 */
import { z } from 'zod';
import { ContentSchema } from './content';
import { SubagentTrajectoryRefSchema } from './subagent-ref';

const ObservationResultSchema = z
  .object({
    /** tool_call_id this result answers; null/absent for non-tool actions and system events. */
    source_call_id: z.string().nullable().optional(),
    content: ContentSchema.nullable().optional(),
    subagent_trajectory_ref: z.array(SubagentTrajectoryRefSchema).optional(),
    extra: z.record(z.unknown()).optional(),
  })
  .strict();
export type ObservationResult = z.infer<typeof ObservationResultSchema>;

export const ObservationSchema = z.object({ results: z.array(ObservationResultSchema) }).strict();
