/** ATIF AgentSchema: which agent system (and default model, and tools on offer) produced the trajectory. */
import { z } from 'zod';

export const AgentInfoSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    /** Default model; a step's model_name overrides it. */
    model_name: z.string().optional(),
    /** Tools offered to the model, in OpenAI's function-calling shape (v1.6). */
    tool_definitions: z.array(z.record(z.unknown())).optional(),
    extra: z.record(z.unknown()).optional(),
  })
  .strict();
