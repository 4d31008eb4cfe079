/**
 * Budget ledger: what the campaign has spent, charged from trial and proposal usage. Immutable updates so
 * it can sit in workflow state. Cached trials (already paid for) must not be charged again.
 */
import type { Usage } from '../llm/usage';
import { totalTokens } from '../llm/usage';

export interface Ledger {
  trials: number;
  proposals: number;
  costUsd: number;
  tokens: number;
}

/** Limits; an absent field is unlimited. */
export interface Budget {
  usd?: number;
  trials?: number;
  tokens?: number;
  wallTimeMinutes?: number;
}

export const emptyLedger = (): Ledger => ({ trials: 0, proposals: 0, costUsd: 0, tokens: 0 });

export function chargeTrial(ledger: Ledger, usage: Usage): Ledger {
  return {
    ...ledger,
    trials: ledger.trials + 1,
    costUsd: ledger.costUsd + usage.costUsd,
    tokens: ledger.tokens + totalTokens(usage),
  };
}

export function chargeProposal(ledger: Ledger, usage: Usage): Ledger {
  return {
    ...ledger,
    proposals: ledger.proposals + 1,
    costUsd: ledger.costUsd + usage.costUsd,
    tokens: ledger.tokens + totalTokens(usage),
  };
}

export interface Remaining {
  usd: number | null;
  trials: number | null;
  tokens: number | null;
}

/** What is left of each limit (never negative); null = unlimited. */
export function remaining(ledger: Ledger, budget: Budget): Remaining {
  const left = (limit: number | undefined, used: number): number | null =>
    limit === undefined ? null : Math.max(0, limit - used);
  return {
    usd: left(budget.usd, ledger.costUsd),
    trials: left(budget.trials, ledger.trials),
    tokens: left(budget.tokens, ledger.tokens),
  };
}

/**
 * Would running `plannedTrials` more trials break the budget? Dollars and tokens are projected from the
 * average per trial so far (proposals included, so the estimate is conservative). Returns the reason, or
 * null when the plan fits — so `if (wouldExceed(...))` reads naturally.
 */
export function wouldExceed(ledger: Ledger, budget: Budget, plannedTrials: number): string | null {
  if (budget.trials !== undefined && ledger.trials + plannedTrials > budget.trials) {
    return `trial budget: ${ledger.trials} + ${plannedTrials} planned > ${budget.trials}`;
  }
  const per = (x: number): number => (ledger.trials === 0 ? 0 : x / ledger.trials);
  const usd = ledger.costUsd + per(ledger.costUsd) * plannedTrials;
  if (budget.usd !== undefined && usd > budget.usd)
    return `dollar budget: projected $${usd.toFixed(2)} > $${budget.usd}`;
  const tokens = ledger.tokens + per(ledger.tokens) * plannedTrials;
  if (budget.tokens !== undefined && tokens > budget.tokens)
    return `token budget: projected ${Math.round(tokens)} > ${budget.tokens}`;
  return null;
}
