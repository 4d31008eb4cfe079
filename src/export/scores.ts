/**
 * A candidate's score on one split with its spread, from its trials: the mean over tasks of the per-task
 * mean (the campaign's own score), the standard error of that mean over tasks, and the range of the
 * per-repeat means (how much one more run of the whole split could move it). Pure.
 */
import { collectTaskRewards, meanReward, meanPerTask, taskMeans } from '../search/scores';

export interface ScoreSpread {
  mean: number;
  /** Standard error over tasks (sample sd of task means / √tasks); null with one task. */
  stdErr: number | null;
  /** Lowest and highest mean over tasks of one repeat index; null with one repeat. */
  repeatRange: [number, number] | null;
  tasks: number;
  trials: number;
  /** Mean over tasks of the per-task mean cost of a trial (USD). */
  costPerTask: number;
}

export interface ScoredTrial {
  task: string;
  repeat: number;
  reward: number;
  costUsd: number;
}

export function scoreSpread(trials: readonly ScoredTrial[]): ScoreSpread | null {
  if (trials.length === 0) return null;
  const byTask = collectTaskRewards(trials);
  const means = Object.values(taskMeans(byTask));
  const mean = meanReward(byTask);
  const sd = means.length > 1 ? Math.sqrt(means.reduce((a, m) => a + (m - mean) ** 2, 0) / (means.length - 1)) : null;
  const repeats = [...new Set(trials.map((t) => t.repeat))].sort((a, b) => a - b);
  const perRepeat = repeats.map((r) => meanReward(collectTaskRewards(trials.filter((t) => t.repeat === r))));
  return {
    mean,
    stdErr: sd === null ? null : sd / Math.sqrt(means.length),
    repeatRange: perRepeat.length > 1 ? [Math.min(...perRepeat), Math.max(...perRepeat)] : null,
    tasks: means.length,
    trials: trials.length,
    costPerTask: meanPerTask(trials.map((t) => ({ task: t.task, value: t.costUsd }))),
  };
}

/** `0.667 ± 0.192 s.e.; repeats 0.500–0.833` (the parts that exist). */
export function formatSpread(s: ScoreSpread | null): string {
  if (!s) return 'not run';
  const parts = [s.mean.toFixed(3)];
  if (s.stdErr !== null) parts.push(`± ${s.stdErr.toFixed(3)} s.e.`);
  const range = s.repeatRange ? `; repeats ${s.repeatRange[0].toFixed(3)}–${s.repeatRange[1].toFixed(3)}` : '';
  return `${parts.join(' ')}${range}`;
}
