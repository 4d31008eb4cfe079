/** Score arithmetic over per-task, per-repeat rewards. Pure. */
import { utility, type Objective } from './objective';
import type { CandidateRecord } from './types';

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Per-task mean reward over repeats. */
export function taskMeans(taskRewards: Record<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [task, rewards] of Object.entries(taskRewards)) out[task] = mean(rewards);
  return out;
}

/** Mean over tasks of the per-task mean, so tasks weigh equally whatever their repeat count. */
export function meanReward(taskRewards: Record<string, number[]>): number {
  return mean(Object.values(taskMeans(taskRewards)));
}

/** Mean over tasks of the per-task mean of `value` (cost or tokens per task, weighed like rewards); 0 when empty. */
export function meanPerTask(items: readonly { task: string; value: number }[]): number {
  const byTask: Record<string, number[]> = {};
  for (const i of items) (byTask[i.task] ??= []).push(i.value);
  return meanReward(byTask);
}

/** Groups trial rewards into `taskRewards`, ordered by repeat. */
export function collectTaskRewards(
  trials: readonly { task: string; repeat: number; reward: number }[],
): Record<string, number[]> {
  const sorted = [...trials].sort((a, b) => a.task.localeCompare(b.task) || a.repeat - b.repeat);
  const out: Record<string, number[]> = {};
  for (const t of sorted) (out[t.task] ??= []).push(t.reward);
  return out;
}

/**
 * Orders candidates best first: higher mean (or higher utility under a cost-aware objective), then simpler
 * (ties go to the simpler harness), then older (earlier generation, then earlier in the array, so the order
 * is total and deterministic).
 */
export function rankCandidates(
  candidates: readonly CandidateRecord[],
  objective?: Objective | null,
): CandidateRecord[] {
  const index = new Map(candidates.map((c, i) => [c.id, i]));
  return [...candidates].sort(
    (a, b) =>
      utility(b, objective) - utility(a, objective) ||
      a.complexity - b.complexity ||
      a.generation - b.generation ||
      (index.get(a.id) ?? 0) - (index.get(b.id) ?? 0),
  );
}
