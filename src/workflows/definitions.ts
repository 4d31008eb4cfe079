/**
 * The campaign's control surface, declared once and typed: signals (fire-and-forget, also usable from the
 * plain `temporal workflow signal` CLI), updates (acknowledged, validated before they touch history) and
 * queries (pure reads). Validators are pure functions exported for unit tests and the client.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Budget } from '../search/ledger';
import type { CandidateRecord } from '../search/types';
import type { CampaignStatus } from './types';

export const MAX_HINT_CHARS = 4000;

/** Stop scheduling new work at the next boundary (generation, or trial inside a generation). */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** Finish the current generation, then run the holdout evaluation and complete. */
export const stopSignal = defineSignal<[{ reason?: string }?]>('stop');
/** Rerun a failed generation (the campaign waits, visibly, for this). */
export const retryGenerationSignal = defineSignal('retryGeneration');

/** Merges the given limits into the budget; returns the new budget. */
export const setBudgetUpdate = defineUpdate<Budget, [Budget]>('setBudget');
/** Adds a hint for the meta-agent's next proposals; returns the number of hints. */
export const addHintUpdate = defineUpdate<number, [string]>('addHint');
/** Same as the signal, but rejected when no generation is waiting; returns the attempt number. */
export const retryGenerationUpdate = defineUpdate<number, []>('retryGeneration');

export const statusQuery = defineQuery<CampaignStatus>('status');
export const frontierQuery = defineQuery<CandidateRecord[]>('frontier');

/** Progress of one generation / evaluation child, for `status --verbose`. */
export interface GenerationProgress {
  phase: 'proposing' | 'evaluating' | 'done';
  proposalsDone: number;
  proposalsTotal: number;
  trialsDone: number;
  trialsTotal: number;
  paused: boolean;
}
export const progressQuery = defineQuery<GenerationProgress>('progress');

const BUDGET_KEYS = ['usd', 'trials', 'tokens', 'wallTimeMinutes'] as const;

/** Throws (rejecting the update before it is written to history) on unknown keys, negative or NaN values. */
export function validateBudget(budget: unknown): asserts budget is Budget {
  if (typeof budget !== 'object' || budget === null || Array.isArray(budget)) {
    throw new TypeError('budget must be an object like {"usd": 10}');
  }
  const entries = Object.entries(budget as Record<string, unknown>);
  if (entries.length === 0) throw new TypeError(`budget is empty; set one of ${BUDGET_KEYS.join(', ')}`);
  for (const [key, value] of entries) {
    if (!(BUDGET_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`budget.${key}: unknown limit; expected one of ${BUDGET_KEYS.join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`budget.${key}: must be a finite number >= 0, got ${String(value)}`);
    }
  }
}

export function validateHint(hint: unknown): asserts hint is string {
  if (typeof hint !== 'string' || hint.trim() === '') throw new TypeError('hint must be a non-empty string');
  if (hint.length > MAX_HINT_CHARS)
    throw new RangeError(`hint is ${hint.length} characters; the limit is ${MAX_HINT_CHARS}`);
}
