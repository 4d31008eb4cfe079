/** ATIF ToolCallSchema: one structured tool invocation made by the agent in a step (`extra` since v1.7). */
import { z } from 'zod';

export const ToolCallSchema = z
  .object({
    /** Correlates with ObservationResult.source_call_id. */
    tool_call_id: z.string().min(1),
    function_name: z.string().min(1),
    /** Must be a JSON object (may be empty), per the spec. */
    arguments: z.record(z.unknown()),
    extra: z.record(z.unknown()).optional(),
  })
  .strict();
export type ToolCall = z.infer<typeof ToolCallSchema>;
