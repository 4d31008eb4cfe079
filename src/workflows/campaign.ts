/**
 * CampaignWorkflow (id `campaign/<name>`): the long-lived loop of a campaign, in the shape of Temporal's
 * safe-message-handlers sample — one `CampaignRun` object holds the state and its message handlers, and the
 * workflow function reads as the campaign does:
 *
 *   prepare → runBaseline (seed on train) → [stop? pause? → runGeneration gen-<n> → CAN?]* → runHoldout
 *
 * The carried state (`CampaignCarry`, transitions in campaign-state.ts, child inputs in campaign-children.ts)
 * is JSON-safe, so the campaign can continue-as-new at any generation boundary; every heavy step is a
 * child workflow whose trial events stay out of this history.
 * A failed child does not fail the campaign: it waits, visible in `status`, for `retryGeneration`, then
 * reruns as `gen-<n>-retry-<m>` (trials already stored are reused, not rerun or re-charged). A child that
 * failed on a credential or configuration fault (a rejected API key, an unknown model) also pauses the
 * campaign with the reason in `status`; `resume` then reruns it the same way.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { findCandidate } from '../search/state';
import { LEGACY_STONE_RULES, STONE_RULES } from '../search/stepping-stones';
import { selectorFor } from '../search/selection';
import { createRng } from '../search/rng';
import { collectTaskRewards, meanReward } from '../search/scores';
import { QUEUES, storeActivities } from './activities';
import { baselineArgs, generationArgs, holdoutArgs, parentRefs } from './campaign-children';
import {
  addHintUpdate,
  frontierQuery,
  pauseSignal,
  resumeSignal,
  retryGenerationSignal,
  retryGenerationUpdate,
  setBudgetUpdate,
  statusQuery,
  stopSignal,
  validateBudget,
  validateHint,
} from './definitions';
import { EvaluationWorkflow } from './evaluation';
import { GenerationWorkflow } from './generation';
import { pausesCampaign } from './faults';
import { planMerge } from './merge';
import { upsertCampaignAttributes } from './search-attributes';
import * as S from './campaign-state';
import { upgradeCarry, upgradePrepared } from './plan-upgrade';
import type {
  CampaignCarry,
  CampaignInput,
  CampaignPhase,
  CampaignSummary,
  GenerationResult,
  HoldoutScore,
  WaitingForRetry,
} from './types';

export async function CampaignWorkflow(input: CampaignInput): Promise<CampaignSummary> {
  // A carry or prepared result from before the plan took campaign.yaml's names is read as today's (plan-upgrade.ts).
  const run = new CampaignRun(workflowInfo().workflowId, 'carry' in input ? upgradeCarry(input.carry) : null);
  // Date.now() inside a workflow is Temporal's deterministic workflow time (replayed from history), not the host clock.
  if (!run.prepared)
    run.start(
      upgradePrepared(await storeActivities.prepareCampaign(input as Exclude<CampaignInput, { carry: unknown }>)),
      Date.now(),
      // A history recorded before the stone rules replays under the rules it ran with (Temporal's patching).
      patched(STONE_RULES_PATCH) ? STONE_RULES : LEGACY_STONE_RULES,
    );
  run.publishAttributes();
  await run.runBaseline();
  const stop = await run.runGenerations();
  await run.runHoldout();
  return run.finish(stop);
}

/** Marks campaigns started under STONE_RULES (stones within a tolerance, and stones may be the final pick). */
const STONE_RULES_PATCH = 'stone-rules-1';

const message = (err: unknown): string =>
  err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);

const childOpts = (workflowId: string) => ({ workflowId, taskQueue: QUEUES.workflows });

class CampaignRun {
  private carry: CampaignCarry | null;
  private phase: CampaignPhase;
  private waiting: WaitingForRetry | null = null;
  private retryRequested = false;
  private currentChild: string | null = null;
  private readonly holdout: HoldoutScore[] = [];

  constructor(
    private readonly workflowId: string,
    carried: CampaignCarry | null,
  ) {
    this.carry = carried;
    this.phase = carried ? 'generation' : 'preparing';
    this.registerHandlers();
  }

  get prepared(): boolean {
    return this.carry !== null;
  }

  /** The carried state; handlers that need it refuse (validators) or ignore (signals) while preparing. */
  private get c(): CampaignCarry {
    if (!this.carry) throw new Error('the campaign is still preparing; try again in a moment');
    return this.carry;
  }

  private get plan() {
    return this.c.prepared.plan;
  }

  start(...args: Parameters<typeof S.initialCarry>): void {
    this.carry = S.initialCarry(...args);
  }

  private registerHandlers(): void {
    const forward = (sig: typeof pauseSignal | typeof resumeSignal): void => {
      if (this.currentChild)
        getExternalWorkflowHandle(this.currentChild)
          .signal(sig)
          .catch(() => undefined);
    };
    setHandler(pauseSignal, () => {
      if (this.carry) {
        this.carry.paused = true;
        forward(pauseSignal);
      }
    });
    setHandler(resumeSignal, () => {
      if (this.carry) {
        this.carry.paused = false;
        this.carry.pauseReason = null;
        forward(resumeSignal);
      }
    });
    setHandler(stopSignal, (arg) => {
      if (this.carry) {
        this.carry.stopRequested = true;
        this.carry.stopReason = arg?.reason ?? 'stopped by request';
      }
    });
    setHandler(retryGenerationSignal, () => void (this.retryRequested = this.waiting !== null));
    setHandler(setBudgetUpdate, (b) => (this.c.budget = { ...this.c.budget, ...b }), {
      validator: (b) => {
        void this.c;
        validateBudget(b);
      },
    });
    setHandler(addHintUpdate, (hint) => this.c.hints.push(hint.trim()), {
      validator: (h) => {
        void this.c;
        validateHint(h);
      },
    });
    setHandler(
      retryGenerationUpdate,
      () => {
        this.retryRequested = true;
        return this.waiting?.attempt ?? 0;
      },
      {
        validator: () => {
          if (!this.waiting) throw new Error('no generation is waiting for a retry');
        },
      },
    );
    setHandler(statusQuery, () =>
      this.carry ? S.statusOf(this.carry, this.extras()) : preparingStatus(this.workflowId),
    );
    setHandler(frontierQuery, () => (this.carry ? S.frontierOf(this.carry) : []));
  }

  private extras(): S.StatusExtras {
    return { phase: this.phase, waiting: this.waiting, holdout: this.holdout, currentChild: this.currentChild };
  }

  publishAttributes(): void {
    upsertCampaignAttributes(this.c.prepared.searchAttributes, {
      campaign: this.plan.name,
      generation: this.c.search.generation,
      bestScore: S.pickOf(this.c)?.meanReward ?? null,
    });
  }

  private event(kind: string, data: unknown): Promise<number> {
    return storeActivities.recordEvent({ campaign: this.plan.name, campaignDir: this.plan.campaignDir, kind, data });
  }

  /** The seed on the train tasks, once per campaign (a carried campaign has done it). */
  async runBaseline(): Promise<void> {
    if (this.c.baselineDone) return;
    this.phase = 'baseline';
    const result = await this.withRetry(0, 'gen-0', (id) =>
      executeChild(EvaluationWorkflow, { ...childOpts(id), args: [baselineArgs(this.c)] }).then(
        (r): GenerationResult => ({ proposals: [], ...r }),
      ),
    );
    const ev = result?.evaluations[0];
    if (!ev) return;
    const rec = S.seedRecord(this.c, ev);
    this.carry = S.applyRecords({ ...this.c, baselineDone: true }, 0, [rec], this.c.search.rngState);
    await storeActivities.recordCandidates({
      campaign: this.plan.name,
      campaignDir: this.plan.campaignDir,
      records: [rec],
    });
    this.publishAttributes();
  }

  /** Generations until a stop rule, a request or a budget says enough; continues-as-new between them. */
  async runGenerations(): Promise<string> {
    if (!this.c.baselineDone) return 'baseline did not complete';
    for (let thisRun = 0; ;) {
      this.phase = 'generation';
      if (this.c.paused) await condition(() => !this.c.paused || this.c.stopRequested);
      const stop = S.stopReason(this.c, Date.now());
      if (stop !== null) return stop;
      if (!(await this.runGeneration(this.c.search.generation + 1))) break; // stopped while waiting for a retry
      if (shouldContinueAsNew(++thisRun, this.plan.runtime)) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof CampaignWorkflow>({ carry: { ...this.c, runs: this.c.runs + 1 } });
      }
    }
    return S.stopReason(this.c, Date.now()) ?? 'stopped';
  }

  /** Selects parents, runs generation `n` as a child and files its records; false when stopped meanwhile. */
  private async runGeneration(n: number): Promise<boolean> {
    const rng = createRng(this.c.search.rngState);
    const selected = selectorFor(this.plan.selection, { epsilon: this.plan.epsilon }).select(
      this.c.search,
      rng,
      this.plan.proposalsPerGeneration,
    );
    this.carry = { ...this.c, search: { ...this.c.search, rngState: rng.state } };
    // A due merge takes the last slot (merge.ts); without `merge` in the plan this is `selected` unchanged.
    const { parentIds, merges } = planMerge(this.plan, this.c.search, n, selected, (rec) => S.harnessRef(this.c, rec));
    const parents = parentRefs(this.c, parentIds);
    const result = await this.withRetry(n, `gen-${n}`, (id) =>
      executeChild(GenerationWorkflow, {
        ...childOpts(id),
        args: [generationArgs(this.c, n, id.slice(this.workflowId.length + 1), parents, merges)],
      }),
    );
    if (result === null) return false;
    const { records, rngState } = S.generationRecords(this.c, n, result);
    this.carry = S.applyRecords(this.c, n, records, rngState);
    await storeActivities.recordCandidates({ campaign: this.plan.name, campaignDir: this.plan.campaignDir, records });
    this.publishAttributes();
    return true;
  }

  /** The final pick, and the seed beside it, on the holdout tasks (never seen by the search). */
  async runHoldout(): Promise<void> {
    this.phase = 'holdout';
    const best = S.pickOf(this.c);
    if (!best || this.plan.holdout.length === 0) return;
    const seed = findCandidate(this.c.search, this.c.prepared.seed.id);
    const picks = seed && seed.id !== best.id ? [best, seed] : [best];
    const result = await this.withRetry(this.c.search.generation, 'holdout', (id) =>
      executeChild(EvaluationWorkflow, {
        ...childOpts(id),
        args: [
          holdoutArgs(
            this.c,
            picks.map((p) => S.harnessRef(this.c, p)),
          ),
        ],
      }).then((r): GenerationResult => ({ proposals: [], ...r })),
    );
    for (const p of picks) {
      const ev = result?.evaluations.find((e) => e.candidateId === p.id);
      this.holdout.push({
        candidateId: p.id,
        trainScore: p.meanReward,
        holdoutScore: ev && !ev.error ? meanReward(collectTaskRewards(ev.trials)) : null,
      });
    }
  }

  async finish(stopReason: string): Promise<CampaignSummary> {
    this.phase = 'done';
    const summary = summarize(this.c, stopReason, this.holdout);
    await this.event('completed', { stopReason, best: summary.best, ledger: summary.ledger });
    await condition(allHandlersFinished);
    return summary;
  }

  /** Runs one child (by attempt label) until it succeeds, or returns null if stopped while waiting. */
  private async withRetry(
    generation: number,
    base: string,
    runChild: (id: string) => Promise<GenerationResult>,
  ): Promise<GenerationResult | null> {
    for (;;) {
      const label = this.c.attempt === 0 ? base : `${base}-retry-${this.c.attempt}`;
      this.currentChild = `${this.workflowId}/${label}`;
      let result: GenerationResult;
      try {
        result = await runChild(this.currentChild);
      } catch (err) {
        result = { proposals: [], evaluations: [], failure: `child ${label} failed: ${message(err)}` };
      } finally {
        this.currentChild = null;
      }
      this.carry = S.charge(this.c, result);
      if (result.failure === null) {
        this.carry = { ...this.c, attempt: 0, lastError: null };
        return result;
      }
      if (!(await this.waitForRetry(generation, result))) return null;
    }
  }

  /** A failed child: say so, wait for `retryGeneration` (or `resume` after a fault's pause); false if stopped instead. */
  private async waitForRetry(generation: number, result: GenerationResult): Promise<boolean> {
    const failure = result.failure ?? 'failed';
    this.carry = { ...this.c, attempt: this.c.attempt + 1, lastError: failure };
    this.waiting = {
      generation,
      attempt: this.c.attempt,
      error: failure,
      ...(result.fault ? { fault: result.fault.kind } : {}),
    };
    // A rejected key or unknown model cannot heal by waiting: pause, say why; `resume` reruns the child.
    const faultPause = pausesCampaign(result.fault);
    if (faultPause) this.carry = { ...this.c, paused: true, pauseReason: result.fault?.message ?? failure };
    const before = this.phase;
    this.phase = 'waiting-for-retry';
    await this.event('generation-failed', this.waiting);
    await condition(() => this.retryRequested || this.c.stopRequested || (faultPause && !this.c.paused));
    this.phase = before;
    this.waiting = null;
    if (!this.retryRequested && (this.c.stopRequested || !faultPause)) return false;
    this.retryRequested = false;
    if (faultPause) this.carry = { ...this.c, paused: false, pauseReason: null }; // `retry-generation` ends the fault's pause too
    return true;
  }
}

function shouldContinueAsNew(gensThisRun: number, rt: CampaignCarry['prepared']['plan']['runtime']): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested) return true;
  if (rt?.maxGenerationsPerRun !== undefined && gensThisRun >= rt.maxGenerationsPerRun) return true;
  return rt?.maxHistoryEvents !== undefined && info.historyLength >= rt.maxHistoryEvents;
}

function summarize(c: CampaignCarry, stopReason: string, holdout: HoldoutScore[]): CampaignSummary {
  const best = S.pickOf(c);
  const seed = findCandidate(c.search, c.prepared.seed.id);
  const score = (id: string | undefined, train: number): HoldoutScore | null =>
    id === undefined
      ? null
      : (holdout.find((h) => h.candidateId === id) ?? { candidateId: id, trainScore: train, holdoutScore: null });
  return {
    name: c.prepared.plan.name,
    generations: c.search.generation,
    stopReason,
    best: score(best?.id, best?.meanReward ?? 0),
    seed: score(seed?.id, seed?.meanReward ?? 0),
    ledger: c.ledger,
    frontier: S.frontierOf(c),
    candidates: { evaluated: S.acceptedCount(c), rejected: c.rejectedCount, invalid: c.invalidCount },
    runs: c.runs,
  };
}

function preparingStatus(workflowId: string) {
  const zero = { trials: 0, proposals: 0, costUsd: 0, tokens: 0 };
  return {
    name: workflowId.replace(/^campaign\//, ''),
    generation: 0,
    phase: 'preparing' as const,
    bestTrainScore: null,
    bestCandidateId: null,
    bestHoldoutScore: null,
    spend: zero,
    budget: {},
    trialsDone: 0,
    trialsCached: 0,
    trialsTotal: null,
    paused: false,
    pauseReason: null,
    stopRequested: false,
    waitingForRetry: null,
    currentChild: null,
    lastError: null,
    hints: 0,
    candidates: { evaluated: 0, rejected: 0, invalid: 0 },
    flagged: [],
    run: 0,
  };
}
