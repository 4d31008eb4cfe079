/** `full`: every train task × repeats, decided afterwards by the acceptance rule (the campaign's original behaviour). */
import type { EvaluationPolicy } from './policy';
import { fullSchedule, notYetPlanned } from './trials';

export const fullPolicy: EvaluationPolicy = {
  name: 'full',
  initial: (input) => fullSchedule(input),
  next(input, observed, pending) {
    if (pending.length > 0) return { verdict: 'continue', schedule: [] };
    // Defensive: a workflow that dropped a trial from its plan gets it back rather than a silent gap.
    const missing = notYetPlanned(fullSchedule(input), observed, pending);
    if (missing.length > 0) return { verdict: 'continue', schedule: missing };
    return { verdict: 'stop', decided: null, reason: `all ${observed.length} trials run` };
  },
};
