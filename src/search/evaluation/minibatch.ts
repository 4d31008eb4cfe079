/**
 * `minibatch` (GEPA's screening): a child first runs on a seeded sample of the train tasks; only if it is
 * not worse than its parent there (mean over the sampled tasks, minus `margin`) does it go on to the rest
 * of the full schedule, which the acceptance rule then decides. A screen that fails rejects at once, so a
 * bad child costs a fraction of a full evaluation. The screened trials count towards the full schedule.
 */
import { createRng, deriveSeed, shuffled } from '../rng';
import type { EvaluationPolicy, PolicyInput } from './policy';
import { fullPolicy } from './full';
import { fmt, fullSchedule, mean, notYetPlanned, pairedTasks, scoresByTask, trialKey } from './trials';

/** The screened tasks: a seeded sample of the tasks the parent has scores on, in campaign order. */
export function minibatchTasks(input: PolicyInput): string[] {
  const paired = pairedTasks(input);
  const spec = input.spec.minibatch;
  const size = Math.min(paired.length, spec.size ?? Math.max(1, Math.round(spec.fraction * paired.length)));
  const picked = new Set(shuffled(paired, createRng(deriveSeed(input.seed, 'minibatch'))).slice(0, size));
  return paired.filter((t) => picked.has(t));
}

/** The screen's trials; empty when there is nothing to screen against (the seed) or it would be everything. */
function screenSchedule(input: PolicyInput) {
  const repeats = Math.min(input.spec.minibatch.repeats, input.repeats);
  const screen = fullSchedule({ tasks: minibatchTasks(input), repeats });
  return screen.length >= input.tasks.length * input.repeats ? [] : screen;
}

export const minibatchPolicy: EvaluationPolicy = {
  name: 'minibatch',
  initial(input) {
    const screen = screenSchedule(input);
    return screen.length === 0 ? fullPolicy.initial(input) : screen;
  },
  next(input, observed, pending) {
    const screen = screenSchedule(input);
    const screenKeys = new Set(screen.map(trialKey));
    const beyondScreen = [...observed, ...pending].some((t) => !screenKeys.has(trialKey(t)));
    if (screen.length === 0 || beyondScreen) return fullPolicy.next(input, observed, pending);
    if (pending.length > 0) return { verdict: 'continue', schedule: [] };
    const missing = notYetPlanned(screen, observed, pending);
    if (missing.length > 0) return { verdict: 'continue', schedule: missing };

    const child = scoresByTask(observed);
    const tasks = minibatchTasks(input);
    const childMean = mean(tasks.map((t) => mean(child[t] ?? [])));
    const parentMean = mean(tasks.map((t) => mean(input.parentScores[t] ?? [])));
    const scores = `${fmt(childMean)} vs parent ${fmt(parentMean)} on a minibatch of ${tasks.length} tasks`;
    if (childMean < parentMean - input.spec.minibatch.margin - 1e-9) {
      return { verdict: 'stop', decided: 'reject', reason: `minibatch screen failed: ${scores}` };
    }
    const rest = notYetPlanned(fullSchedule(input), observed, pending);
    if (rest.length === 0)
      return { verdict: 'stop', decided: null, reason: `minibatch screen passed (${scores}); all trials run` };
    return { verdict: 'continue', schedule: rest };
  },
};
