/** Trial bookkeeping shared by the evaluation policies. Pure. */
import type { ObservedTrial, PlannedTrial, PolicyInput } from './policy';

export const trialKey = (t: PlannedTrial): string => `${t.task}\u0000${t.repeat}`;

/** Every (task, repeat) of the ordinary schedule, task-major: the order the campaign has always used. */
export function fullSchedule(input: Pick<PolicyInput, 'tasks' | 'repeats'>): PlannedTrial[] {
  return input.tasks.flatMap((task) => Array.from({ length: input.repeats }, (_, repeat) => ({ task, repeat })));
}

/** `wanted` minus anything already observed or pending, in `wanted`'s order. */
export function notYetPlanned(
  wanted: readonly PlannedTrial[],
  observed: readonly PlannedTrial[],
  pending: readonly PlannedTrial[],
): PlannedTrial[] {
  const known = new Set([...observed, ...pending].map(trialKey));
  return wanted.filter((t) => !known.has(trialKey(t)));
}

/** Observed scores per task, ordered by repeat. */
export function scoresByTask(observed: readonly ObservedTrial[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const t of [...observed].sort((a, b) => a.repeat - b.repeat)) (out[t.task] ??= []).push(t.score);
  return out;
}

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

/** Tasks of `tasks` on which the parent has at least one recorded reward, in the given order. */
export const pairedTasks = (input: Pick<PolicyInput, 'tasks' | 'parentScores'>): string[] =>
  input.tasks.filter((t) => (input.parentScores[t]?.length ?? 0) > 0);

export const fmt = (x: number): string => (Math.round(x * 1000) / 1000).toString();
