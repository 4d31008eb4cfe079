/**
 * ATIF v1.8 root object, the shape we write and hold in memory. Sub-agent runs are embedded whole in
 * `subagent_trajectories` (validated recursively; each with a unique `trajectory_id`) and referenced from
 * observations by that id, so one file holds a complete multi-agent run. Step ids must be 1, 2, 3, ...
 * in order. Harbor requires at least one step; so do we.
 */
import { z } from 'zod';
import { AgentInfoSchema } from './agent';
import { FinalMetricsSchema } from './final-metrics';
import { StepSchema } from './step';
import { SchemaVersionSchema } from './version';

const TrajectoryCoreSchema = z
  .object({
    schema_version: SchemaVersionSchema,
    /** The run this trajectory belongs to (shared by a run's sub-agents); optional since v1.7. */
    session_id: z.string().min(1).optional(),
    /** This document's own id (v1.7); required on embedded sub-agents. */
    trajectory_id: z.string().min(1).optional(),
    agent: AgentInfoSchema,
    steps: z.array(StepSchema).min(1),
    notes: z.string().optional(),
    final_metrics: FinalMetricsSchema.optional(),
    continued_trajectory_ref: z.string().optional(),
    extra: z.record(z.unknown()).optional(),
  })
  .strict();

export type Trajectory = z.infer<typeof TrajectoryCoreSchema> & { subagent_trajectories?: Trajectory[] };

export const TrajectorySchema: z.ZodType<Trajectory, z.ZodTypeDef, unknown> = z.lazy(() =>
  TrajectoryCoreSchema.extend({ subagent_trajectories: z.array(TrajectorySchema).optional() })
    .strict()
    .superRefine((t, ctx) => {
      t.steps.forEach((s, i) => {
        if (s.step_id !== i + 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'step_id'],
            message: `expected ${i + 1}, got ${s.step_id}`,
          });
        }
      });
      const seen = new Set<string>();
      (t.subagent_trajectories ?? []).forEach((sub, i) => {
        const id = sub.trajectory_id;
        if (id === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['subagent_trajectories', i, 'trajectory_id'],
            message: 'required on an embedded sub-agent',
          });
        else if (seen.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['subagent_trajectories', i, 'trajectory_id'],
            message: `"${id}" is not unique`,
          });
        else seen.add(id);
      });
    }),
);
