/** Why an agent stopped: the agent layer's own word for it, recorded on trials (trial/types.ts) and trajectories. */
import { z } from 'zod';

export const StopReason = z.enum([
  'finished',
  'end_turn',
  'max_turns',
  'max_tokens',
  'timeout',
  'error',
  'oracle',
  'noop',
]);
export type StopReason = z.infer<typeof StopReason>;
