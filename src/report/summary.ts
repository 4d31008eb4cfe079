/**
 * The header numbers (best train/holdout and their gap, improvement over the seed, spend vs budget, pace,
 * phase) and the cumulative cost/trials series, from a store snapshot. Pure.
 * The phase is inferred from the store's records (the live view adds the workflow's own status if it can).
 */
import { z } from 'zod';
import { totalTokens } from '../llm/usage';
import { isCostAware } from '../search/objective';
import { meanPerTask, rankCandidates } from '../search/scores';
import type { Budget } from '../search/ledger';
import type { StoredCandidate, StoredEvent, StoredProposal } from '../store/rows';
import type { CandidateView, Summary, TimeSeries, TrialIndexRow } from './types';

/** The optional extras of the `prepared` event (older stores only carry counts). */
const PreparedEventSchema = z
  .object({
    seed: z.string().optional(),
    trainTasks: z.array(z.string()).optional(),
    holdoutTasks: z.array(z.string()).optional(),
    /** Task name → content hash (stores from before it was recorded: trials' hashes only). */
    taskHashes: z.record(z.string()).optional(),
    budget: z
      .object({
        usd: z.number().optional(),
        trials: z.number().optional(),
        tokens: z.number().optional(),
        wallTimeMinutes: z.number().optional(),
      })
      .optional(),
    /** campaign.yaml `objective` when it weighs cost (absent: score only), so the report's best is the campaign's pick. */
    objective: z.object({ score: z.number(), costUsd: z.number() }).nullable().optional(),
  })
  .passthrough();
export type PreparedEvent = z.infer<typeof PreparedEventSchema>;

export function preparedEvent(events: readonly StoredEvent[]): PreparedEvent {
  const last = [...events].reverse().find((e) => e.kind === 'prepared');
  const parsed = PreparedEventSchema.safeParse(last?.data ?? {});
  return parsed.success ? parsed.data : {};
}

const CompletedEventSchema = z
  .object({ stopReason: z.string(), best: z.object({ candidateId: z.string() }).passthrough().nullish() })
  .passthrough();

function inferPhase(
  events: readonly StoredEvent[],
  views: readonly CandidateView[],
  trials: readonly TrialIndexRow[],
): string {
  if (events.some((e) => e.kind === 'completed')) return 'done';
  if (trials.some((t) => t.split === 'holdout')) return 'holdout';
  if (views.some((v) => v.generation > 0 || v.status === 'running')) return 'generation';
  if (trials.length > 0 || views.length > 0) return 'baseline';
  return events.some((e) => e.kind === 'prepared') ? 'preparing' : 'unknown';
}

export interface SummaryInputs {
  stored: readonly StoredCandidate[];
  views: readonly CandidateView[];
  trials: readonly TrialIndexRow[];
  proposals: readonly StoredProposal[];
  events: readonly StoredEvent[];
}

const ms = (iso: string): number => Date.parse(iso);

function trialsPerMinute(trials: readonly TrialIndexRow[]): number | null {
  if (trials.length < 2) return null;
  const times = trials.map((t) => ms(t.createdAt));
  const spanMin = (Math.max(...times) - Math.min(...times)) / 60_000;
  return spanMin > 0 ? (trials.length - 1) / spanMin : null;
}

const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : a - b;

export function summarize(input: SummaryInputs): Summary {
  const prepared = preparedEvent(input.events);
  // Cost per task only matters (and is only computed) when the campaign's objective weighs it.
  const costOf = (id: string): number =>
    meanPerTask(
      input.trials
        .filter((t) => t.candidateId === id && t.split === 'train')
        .map((t) => ({ task: t.task, value: t.costUsd })),
    );
  const accepted = input.stored
    .filter((c) => c.status === 'evaluated')
    .map((c) => (isCostAware(prepared.objective) ? { ...c, costPerTask: costOf(c.id) } : c));
  const completed = [...input.events].reverse().find((e) => e.kind === 'completed');
  const stop = CompletedEventSchema.safeParse(completed?.data);
  // A finished campaign names its pick (which may be a stepping stone: src/search/stepping-stones.ts);
  // while it runs, the best accepted candidate stands in.
  const picked = stop.success ? stop.data.best?.candidateId : undefined;
  const best =
    (picked === undefined ? undefined : input.stored.find((c) => c.id === picked)) ??
    rankCandidates(accepted, prepared.objective)[0] ??
    null;
  const byId = new Map(input.views.map((v) => [v.id, v]));
  const seedId = prepared.seed ?? input.stored.find((c) => c.parentId === null)?.id ?? null;
  const seed = seedId === null ? undefined : byId.get(seedId);
  const bestView = best ? byId.get(best.id) : undefined;
  const times = [
    ...input.events.map((e) => e.createdAt),
    ...input.trials.map((t) => t.createdAt),
    ...input.stored.map((c) => c.updatedAt),
  ]
    .filter((t) => !Number.isNaN(ms(t)))
    .sort();
  return {
    bestId: best?.id ?? null,
    bestTrain: best?.meanReward ?? null,
    bestHoldout: bestView?.holdout ?? null,
    gap: diff(best?.meanReward, bestView?.holdout),
    seedId,
    seedTrain: seed?.train ?? null,
    seedHoldout: seed?.holdout ?? null,
    improvementTrain: diff(best?.meanReward, seed?.train),
    improvementHoldout: diff(bestView?.holdout, seed?.holdout),
    spendUsd:
      input.trials.reduce((s, t) => s + t.costUsd, 0) + input.proposals.reduce((s, p) => s + p.usage.costUsd, 0),
    tokens:
      input.trials.reduce((s, t) => s + t.tokens, 0) + input.proposals.reduce((s, p) => s + totalTokens(p.usage), 0),
    budget: (prepared.budget as Budget | undefined) ?? null,
    trialsDone: input.trials.length,
    trialsPerMin: trialsPerMinute(input.trials),
    phase: inferPhase(input.events, input.views, input.trials),
    generation: input.views.reduce((g, v) => Math.max(g, v.generation), 0),
    stopReason: stop.success ? stop.data.stopReason : null,
    startedAt: times[0] ?? null,
    lastActivityAt: times[times.length - 1] ?? null,
    counts: {
      evaluated: input.views.filter((v) => v.status === 'evaluated').length,
      rejected: input.views.filter((v) => v.status === 'rejected').length,
      invalid: input.views.filter((v) => v.status === 'invalid').length,
      running: input.views.filter((v) => v.status === 'running').length,
    },
  };
}

/** Cumulative trials and dollars (trials and proposals) in time order; x in unix seconds for uPlot. */
export function timeSeries(trials: readonly TrialIndexRow[], proposals: readonly StoredProposal[]): TimeSeries {
  const points = [
    ...trials.map((t) => ({ at: ms(t.createdAt), trial: 1, cost: t.costUsd })),
    ...proposals.map((p) => ({ at: ms(p.createdAt), trial: 0, cost: p.usage.costUsd })),
  ]
    .filter((p) => !Number.isNaN(p.at))
    .sort((a, b) => a.at - b.at);
  const out: TimeSeries = { t: [], trials: [], costUsd: [] };
  let n = 0;
  let cost = 0;
  for (const p of points) {
    n += p.trial;
    cost += p.cost;
    out.t.push(p.at / 1000);
    out.trials.push(n);
    out.costUsd.push(Math.round(cost * 1e6) / 1e6);
  }
  return out;
}
