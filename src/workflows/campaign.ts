/**
 * CampaignWorkflow (id `campaign/<name>`): the long-lived loop of a campaign. Shaped as a thin handler
 * over a JSON-safe state object (`CampaignCarry`, transitions in campaign-state.ts) so it can
 * continue-as-new at any generation boundary, and so that every heavy step — the baseline, each
 * generation, the holdout — is a child workflow whose trial events stay out of this history.
 *
 *   prepare → gen 0 (seed on train) → [stop? pause? → child gen-<n> → accept/select/charge → CAN?]* → holdout
 *
 * A failed child does not fail the campaign: it waits, visible in `status`, for `retryGeneration`, then
 * reruns as `gen-<n>-retry-<m>` (trials already stored are reused, not rerun or re-charged). A child that
 * failed on a credential or configuration fault (a rejected API key, an unknown model) also pauses the
 * campaign with the reason in `status`; `resume` then reruns it the same way.
 */
import {
  allHandlersFinished, condition, continueAsNew, executeChild, getExternalWorkflowHandle, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { bestCandidate, findCandidate } from '../search/state';
import { selectorFor } from '../search/selection';
import { createRng } from '../search/rng';
import { collectTaskRewards, meanReward } from '../search/scores';
import { QUEUES, storeActivities } from './activities';
import {
  addHintUpdate, frontierQuery, pauseSignal, resumeSignal, retryGenerationSignal, retryGenerationUpdate, setBudgetUpdate,
  statusQuery, stopSignal, validateBudget, validateHint,
} from './definitions';
import { EvaluationWorkflow } from './evaluation';
import { GenerationWorkflow } from './generation';
import { pausesCampaign } from './faults';
import { planMerge } from './merge';
import { generationEvaluation } from './policies';
import { upsertCampaignAttributes } from './search-attributes';
import * as S from './campaign-state';
import { upgradeCarry, upgradePrepared } from './plan-upgrade';
import type {
  CampaignCarry, CampaignInput, CampaignPhase, CampaignPlan, CampaignSummary, GenerationResult, HarnessRef, HoldoutScore, WaitingForRetry,
} from './types';

/** Only a campaign that names another metric says so: default inputs stay as they were. */
const metricOf = (plan: CampaignPlan): { metric?: string } => (plan.metric ? { metric: plan.metric } : {});

const message = (err: unknown): string => (err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err));

export async function CampaignWorkflow(input: CampaignInput): Promise<CampaignSummary> {
  const wfId = workflowInfo().workflowId;
  // A carry or prepared result from before the plan took campaign.yaml's names is read as today's (plan-upgrade.ts).
  let c: CampaignCarry | null = 'carry' in input ? upgradeCarry(input.carry) : null;
  let phase: CampaignPhase = c ? 'generation' : 'preparing';
  let waiting: WaitingForRetry | null = null;
  let retryRequested = false;
  let currentChild: string | null = null;
  const holdout: HoldoutScore[] = [];

  const forward = (sig: typeof pauseSignal | typeof resumeSignal): void => {
    if (currentChild) getExternalWorkflowHandle(currentChild).signal(sig).catch(() => undefined);
  };
  const ready = (): CampaignCarry => {
    if (!c) throw new Error('the campaign is still preparing; try again in a moment');
    return c;
  };
  setHandler(pauseSignal, () => { if (c) { c.paused = true; forward(pauseSignal); } });
  setHandler(resumeSignal, () => { if (c) { c.paused = false; c.pauseReason = null; forward(resumeSignal); } });
  setHandler(stopSignal, (arg) => { if (c) { c.stopRequested = true; c.stopReason = arg?.reason ?? 'stopped by request'; } });
  setHandler(retryGenerationSignal, () => void (retryRequested = waiting !== null));
  setHandler(setBudgetUpdate, (b) => (ready().budget = { ...ready().budget, ...b }), {
    validator: (b) => { ready(); validateBudget(b); },
  });
  setHandler(addHintUpdate, (hint) => ready().hints.push(hint.trim()), { validator: (h) => { ready(); validateHint(h); } });
  setHandler(retryGenerationUpdate, () => { retryRequested = true; return waiting?.attempt ?? 0; }, {
    validator: () => { if (!waiting) throw new Error('no generation is waiting for a retry'); },
  });
  setHandler(statusQuery, () => (c ? S.statusOf(c, { phase, waiting, holdout, currentChild }) : preparingStatus(wfId)));
  setHandler(frontierQuery, () => (c ? S.frontierOf(c) : []));

  // Date.now() inside a workflow is Temporal's deterministic workflow time (replayed from history), not the host clock.
  if (!c) c = S.initialCarry(upgradePrepared(await storeActivities.prepareCampaign(input as Exclude<CampaignInput, { carry: unknown }>)), Date.now());
  const st = (): CampaignCarry => c as CampaignCarry;
  const { plan } = st().prepared;
  const event = (kind: string, data: unknown): Promise<number> =>
    storeActivities.recordEvent({ campaign: plan.name, campaignDir: plan.campaignDir, kind, data });
  const attrs = (): void =>
    upsertCampaignAttributes(st().prepared.searchAttributes, {
      campaign: plan.name, generation: st().search.generation, bestScore: bestCandidate(st().search)?.meanReward ?? null,
    });
  attrs();

  /** Runs one child (by attempt label) until it succeeds, or returns null if stopped while waiting. */
  async function withRetry(generation: number, base: string, run: (label: string) => Promise<GenerationResult>): Promise<GenerationResult | null> {
    for (;;) {
      const label = st().attempt === 0 ? base : `${base}-retry-${st().attempt}`;
      currentChild = `${wfId}/${label}`;
      let result: GenerationResult;
      try {
        result = await run(currentChild);
      } catch (err) {
        result = { proposals: [], evaluations: [], failure: `child ${label} failed: ${message(err)}` };
      } finally {
        currentChild = null;
      }
      c = S.charge(st(), result);
      if (result.failure === null) {
        c = { ...st(), attempt: 0, lastError: null };
        return result;
      }
      c = { ...st(), attempt: st().attempt + 1, lastError: result.failure };
      waiting = { generation, attempt: st().attempt, error: result.failure, ...(result.fault ? { fault: result.fault.kind } : {}) };
      // A rejected key or unknown model cannot heal by waiting: pause, say why; `resume` reruns the child.
      const faultPause = pausesCampaign(result.fault);
      if (faultPause) c = { ...st(), paused: true, pauseReason: result.fault?.message ?? result.failure };
      const before = phase;
      phase = 'waiting-for-retry';
      await event('generation-failed', waiting);
      await condition(() => retryRequested || st().stopRequested || (faultPause && !st().paused));
      phase = before;
      waiting = null;
      if (!retryRequested && (st().stopRequested || !faultPause)) return null;
      retryRequested = false;
      if (faultPause) c = { ...st(), paused: false, pauseReason: null }; // `retry-generation` ends the fault's pause too
    }
  }

  const childOpts = (workflowId: string) => ({ workflowId, taskQueue: QUEUES.workflows });
  const rt = plan.runtime;

  if (!st().baselineDone) {
    phase = 'baseline';
    const seed = st().prepared.seed;
    const result = await withRetry(0, 'gen-0', (id) =>
      executeChild(EvaluationWorkflow, {
        ...childOpts(id),
        args: [{ campaign: plan.name, campaignDir: plan.campaignDir, candidates: [seed], tasks: plan.train, repeats: plan.repeats, window: plan.concurrency, runtime: rt, paused: st().paused, ...metricOf(plan) }],
      }).then((r): GenerationResult => ({ proposals: [], ...r })),
    );
    const ev = result?.evaluations[0];
    if (ev) {
      const rec = S.seedRecord(st(), ev);
      c = S.applyRecords({ ...st(), baselineDone: true }, 0, [rec], st().search.rngState);
      await storeActivities.recordCandidates({ campaign: plan.name, campaignDir: plan.campaignDir, records: [rec] });
      attrs();
    }
  }

  let stop: string | null = st().baselineDone ? null : 'baseline did not complete';
  let gensThisRun = 0;
  while (stop === null) {
    phase = 'generation';
    if (st().paused) await condition(() => !st().paused || st().stopRequested);
    stop = S.stopReason(st(), Date.now());
    if (stop !== null) break;
    const n = st().search.generation + 1;
    const rng = createRng(st().search.rngState);
    const selected = selectorFor(plan.selection, { epsilon: plan.epsilon }).select(st().search, rng, plan.proposalsPerGeneration);
    c = { ...st(), search: { ...st().search, rngState: rng.state } };
    // A due merge takes the last slot (merge.ts); without `merge` in the plan this is `selected` unchanged.
    const { parentIds, merges } = planMerge(plan, st().search, n, selected, (rec) => S.harnessRef(st(), rec));
    const parents: HarnessRef[] = parentIds.map((id) => S.harnessRef(st(), findCandidate(st().search, id) ?? { id, complexity: 0 }));
    const result = await withRetry(n, `gen-${n}`, (id) =>
      executeChild(GenerationWorkflow, {
        ...childOpts(id),
        args: [{
          campaign: plan.name, campaignDir: plan.campaignDir, generation: n, attemptLabel: id.slice(wfId.length + 1), parents,
          knownIds: st().search.candidates.map((x) => x.id), hints: [...st().hints], train: plan.train, repeats: plan.repeats,
          window: plan.concurrency, paused: st().paused, runtime: rt, ...metricOf(plan),
          holdoutTasks: plan.holdout.map((t) => t.name), meta: plan.meta ?? null,
          ...(merges ? { merges } : {}),
          ...generationEvaluation(plan, st().search, parents),
        }],
      }),
    );
    if (result === null) break; // stopped while waiting for a retry
    const { records, rngState } = S.generationRecords(st(), n, result);
    c = S.applyRecords(st(), n, records, rngState);
    await storeActivities.recordCandidates({ campaign: plan.name, campaignDir: plan.campaignDir, records });
    attrs();
    gensThisRun++;
    if (shouldContinueAsNew(gensThisRun, rt)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof CampaignWorkflow>({ carry: { ...st(), runs: st().runs + 1 } });
    }
  }
  stop ??= S.stopReason(st(), Date.now()) ?? 'stopped';

  phase = 'holdout';
  await runHoldout();
  phase = 'done';
  const summary = summarize(st(), stop, holdout);
  await event('completed', { stopReason: stop, best: summary.best, ledger: summary.ledger });
  await condition(allHandlersFinished);
  return summary;

  async function runHoldout(): Promise<void> {
    const best = bestCandidate(st().search);
    if (!best || plan.holdout.length === 0) return;
    const seed = findCandidate(st().search, st().prepared.seed.id);
    const picks = seed && seed.id !== best.id ? [best, seed] : [best];
    const result = await withRetry(st().search.generation, 'holdout', (id) =>
      executeChild(EvaluationWorkflow, {
        ...childOpts(id),
        args: [{ campaign: plan.name, campaignDir: plan.campaignDir, candidates: picks.map((p) => S.harnessRef(st(), p)), tasks: plan.holdout, repeats: plan.holdoutRepeats, window: plan.concurrency, runtime: rt, ...metricOf(plan) }],
      }).then((r): GenerationResult => ({ proposals: [], ...r })),
    );
    for (const p of picks) {
      const ev = result?.evaluations.find((e) => e.candidateId === p.id);
      holdout.push({ candidateId: p.id, trainScore: p.meanReward, holdoutScore: ev && !ev.error ? meanReward(collectTaskRewards(ev.trials)) : null });
    }
  }
}

function shouldContinueAsNew(gensThisRun: number, rt: CampaignCarry['prepared']['plan']['runtime']): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested) return true;
  if (rt?.maxGenerationsPerRun !== undefined && gensThisRun >= rt.maxGenerationsPerRun) return true;
  return rt?.maxHistoryEvents !== undefined && info.historyLength >= rt.maxHistoryEvents;
}

function summarize(c: CampaignCarry, stopReason: string, holdout: HoldoutScore[]): CampaignSummary {
  const best = bestCandidate(c.search);
  const seed = findCandidate(c.search, c.prepared.seed.id);
  const score = (id: string | undefined, train: number): HoldoutScore | null =>
    id === undefined ? null : (holdout.find((h) => h.candidateId === id) ?? { candidateId: id, trainScore: train, holdoutScore: null });
  return {
    name: c.prepared.plan.name, generations: c.search.generation, stopReason,
    best: score(best?.id, best?.meanReward ?? 0), seed: score(seed?.id, seed?.meanReward ?? 0), ledger: c.ledger,
    frontier: S.frontierOf(c),
    candidates: { evaluated: S.acceptedCount(c), rejected: c.rejectedCount, invalid: c.invalidCount }, runs: c.runs,
  };
}

function preparingStatus(workflowId: string) {
  const zero = { trials: 0, proposals: 0, costUsd: 0, tokens: 0 };
  return {
    name: workflowId.replace(/^campaign\//, ''), generation: 0, phase: 'preparing' as const, bestTrainScore: null, bestCandidateId: null,
    bestHoldoutScore: null, spend: zero, budget: {}, trialsDone: 0, trialsCached: 0, trialsTotal: null, paused: false, pauseReason: null,
    stopRequested: false, waitingForRetry: null, currentChild: null, lastError: null, hints: 0, candidates: { evaluated: 0, rejected: 0, invalid: 0 }, flagged: [], run: 0,
  };
}
