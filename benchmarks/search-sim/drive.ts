/**
 * Runs one candidate's evaluation policy the way the campaign workflow does: a queue started in order
 * with at most `window` trials in flight, trials finishing in a seeded random order, `next` after every
 * settled trial, and on `stop` every pending trial cancelled (a started one is charged, an unstarted one
 * is not). A budget cap aborts the evaluation when no trial may start. Pure apart from `sample`.
 */
import type { Rng } from '../../src/search/rng';
import type {
  EvaluationPolicy,
  ObservedTrial,
  PlannedTrial,
  PolicyInput,
  PolicyStep,
} from '../../src/search/evaluation';

export interface DriveOptions {
  /** Trials in flight at once. */
  window: number;
  /** The world: a trial's reward. */
  sample: (t: PlannedTrial) => number;
  /** Draws which in-flight trial finishes next. */
  rng: Rng;
  /** Trials that may still start (budget left); Infinity for none. */
  maxStarts?: number;
}

export type DriveResult =
  | {
      outcome: 'stopped';
      step: Extract<PolicyStep, { verdict: 'stop' }>;
      observed: ObservedTrial[];
      charged: number;
      cancelled: number;
    }
  | { outcome: 'budget'; observed: ObservedTrial[]; charged: number; cancelled: number };

const key = (t: PlannedTrial): string => `${t.task}\u0000${t.repeat}`;

export function drive(policy: EvaluationPolicy, input: PolicyInput, opts: DriveOptions): DriveResult {
  const queue: PlannedTrial[] = [];
  const seen = new Set<string>();
  const enqueue = (ts: readonly PlannedTrial[]): void => {
    for (const t of ts) {
      if (seen.has(key(t))) throw new Error(`${policy.name} scheduled ${t.task}#${t.repeat} twice`);
      seen.add(key(t));
      queue.push(t);
    }
  };
  enqueue(policy.initial(input));
  const running: PlannedTrial[] = [];
  const observed: ObservedTrial[] = [];
  let starts = 0;
  const maxStarts = opts.maxStarts ?? Infinity;
  for (;;) {
    while (running.length < opts.window && queue.length > 0 && starts < maxStarts) {
      running.push(queue.shift() as PlannedTrial);
      starts++;
    }
    if (running.length === 0) {
      if (queue.length > 0) return { outcome: 'budget', observed, charged: starts, cancelled: 0 };
      throw new Error(`${policy.name} answered continue with nothing pending`);
    }
    const [done] = running.splice(opts.rng.int(running.length), 1) as [PlannedTrial];
    observed.push({ ...done, score: opts.sample(done) });
    const step = policy.next(input, observed, [...running, ...queue]);
    if (step.verdict === 'stop')
      return { outcome: 'stopped', step, observed, charged: starts, cancelled: running.length };
    enqueue(step.schedule);
  }
}
