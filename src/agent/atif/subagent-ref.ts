/**
 * ATIF SubagentTrajectoryRefSchema: points from an observation result to a delegated sub-agent's
 * trajectory. Since v1.7 a ref resolves by `trajectory_id` (an entry of the root's
 * `subagent_trajectories`, which is where we embed them) or by `trajectory_path` (an external file);
 * `session_id` is informational only, so a ref must carry one of the other two.
 */
import { z } from 'zod';

export const SubagentTrajectoryRefSchema = z
  .object({
    trajectory_id: z.string().min(1).optional(),
    session_id: z.string().min(1).optional(),
    trajectory_path: z.string().optional(),
    extra: z.record(z.unknown()).optional(),
  })
  .strict()
  .refine((r) => r.trajectory_id !== undefined || r.trajectory_path !== undefined, {
    message: 'a sub-agent reference needs trajectory_id (embedded) or trajectory_path (external file)',
    path: ['trajectory_id'],
  });
