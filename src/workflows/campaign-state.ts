/**
 * Pure transitions of the campaign's carried state: charging the ledger, turning a generation's results
 * into candidate records (acceptance against each child's parent), stop checks, status. No Temporal calls
 * except reading workflow time through arguments, so these are plain unit-testable functions.
 */
import { addUsage, totalTokens, zeroUsage, type Usage } from '../llm/usage';
import { alwaysAcceptImprovement, beatsParentBeyondNoise, type AcceptanceCriterion } from '../search/acceptance';
import { chargeProposal, chargeTrial, wouldExceed } from '../search/ledger';
import { createRng } from '../search/rng';
import { collectTaskRewards, meanPerTask, meanReward } from '../search/scores';
import { addCandidates, frontierCandidates, initialSearchState } from '../search/state';
import { carriedRecords, fileChild, finalPick, LEGACY_STONE_RULES, STONE_RULES } from '../search/stepping-stones';
import type { StoneRules } from '../search/stepping-stones';
import {
  anyStopper,
  maxDollars,
  maxGenerations,
  maxTokens,
  maxTrials,
  maxWallTime,
  plateau,
  targetScore,
  type Stopper,
} from '../search/stoppers';
import type { CandidateRecord } from '../search/types';
import { verdictWithSavings } from './policies';
import { isTamperingVerdict, tamperedTrialsVerdict } from './tampering';
import type {
  CampaignCarry,
  CampaignPhase,
  CampaignStatus,
  CandidateEvaluation,
  GenerationResult,
  HarnessRef,
  HoldoutScore,
  PreparedCampaign,
  TrialOutcome,
  WaitingForRetry,
} from './types';

/** Tampering rejections kept for `status`: the newest few (all of them are in the store). */
export const MAX_FLAGGED = 20;

/**
 * A new campaign's carry. `stoneRules` is fixed for the campaign's life (the workflow passes the legacy
 * rules when replaying a history from before them, so a replay decides as the original run did).
 */
export function initialCarry(
  prepared: PreparedCampaign,
  nowMs: number,
  stoneRules: StoneRules = STONE_RULES,
): CampaignCarry {
  const { plan } = prepared;
  return {
    prepared,
    search: initialSearchState(plan.seed, plan.objective),
    ledger: { trials: 0, proposals: 0, costUsd: 0, tokens: 0 },
    budget: { ...plan.budget },
    hints: [...plan.hints],
    startedAtMs: nowMs,
    baselineDone: false,
    paused: false,
    stopRequested: false,
    stopReason: null,
    attempt: 0,
    cachedTrials: 0,
    rejectedCount: 0,
    invalidCount: 0,
    lastError: null,
    runs: 0,
    stoneRules,
  };
}

/** The campaign's stone rules; a carry from before they were carried ran under the legacy ones. */
export const stoneRulesOf = (c: CampaignCarry): StoneRules => c.stoneRules ?? LEGACY_STONE_RULES;

/** What the campaign ships: the best accepted candidate or (under its rules) stepping stone. */
export const pickOf = (c: CampaignCarry): CandidateRecord | null => finalPick(c.search, stoneRulesOf(c));

/** Charges proposals and the trials that actually ran (cached ones were paid for before). */
export function charge(c: CampaignCarry, result: Pick<GenerationResult, 'proposals' | 'evaluations'>): CampaignCarry {
  let ledger = c.ledger;
  for (const p of result.proposals) ledger = chargeProposal(ledger, p.usage);
  let cached = c.cachedTrials;
  for (const t of result.evaluations.flatMap((e) => e.trials)) {
    if (t.cached) cached++;
    else ledger = chargeTrial(ledger, t.usage);
  }
  return { ...c, ledger, cachedTrials: cached };
}

/** A candidate by reference: its id (workers find `harnesses/<id>/`, or its bundle, by it). */
export const harnessRef = (_c: CampaignCarry, rec: Pick<CandidateRecord, 'id' | 'complexity'>): HarnessRef => ({
  id: rec.id,
  complexity: rec.complexity,
});

const trialsUsage = (trials: readonly TrialOutcome[]): Usage =>
  trials.reduce((u, t) => addUsage(u, t.usage), zeroUsage());

/** Scores plus what one task costs this harness (cached trials at what they cost when they ran). */
function scored(
  ev: CandidateEvaluation,
): Pick<CandidateRecord, 'taskRewards' | 'meanReward' | 'costPerTask' | 'tokensPerTask'> {
  const taskRewards = collectTaskRewards(ev.trials);
  return {
    taskRewards,
    meanReward: meanReward(taskRewards),
    costPerTask: meanPerTask(ev.trials.map((t) => ({ task: t.task, value: t.usage.costUsd }))),
    tokensPerTask: meanPerTask(ev.trials.map((t) => ({ task: t.task, value: totalTokens(t.usage) }))),
  };
}

export function seedRecord(c: CampaignCarry, ev: CandidateEvaluation): CandidateRecord {
  const seed = c.prepared.seed;
  return {
    id: seed.id,
    parentId: null,
    generation: 0,
    status: 'evaluated',
    verdict: 'seed harness (baseline)',
    rationale: '',
    ...scored(ev),
    costUsd: trialsUsage(ev.trials).costUsd,
    complexity: seed.complexity,
  };
}

function criterion(c: CampaignCarry): AcceptanceCriterion {
  const a = c.prepared.plan.acceptance;
  return a.mode === 'greedy'
    ? alwaysAcceptImprovement
    : beatsParentBeyondNoise({ alpha: a.alpha, minDelta: a.minDelta, test: a.test ?? 'task-means' });
}

/**
 * Candidate records of a completed generation: every proposal becomes a record (invalid ones with their
 * reason); each evaluated child is accepted or rejected against its parent. Uses and advances the rng.
 */
export function generationRecords(
  c: CampaignCarry,
  generation: number,
  result: GenerationResult,
): { records: CandidateRecord[]; rngState: number } {
  const rng = createRng(c.search.rngState);
  const accept = criterion(c);
  const records: CandidateRecord[] = [];
  for (const p of result.proposals) {
    const lineage = p.secondParentId ? { secondParentId: p.secondParentId } : {};
    // A proposal that yields no new candidate is still a result: charged, with the reason, never evaluated.
    const unevaluated = (kind: string, verdict: string): CandidateRecord => ({
      id: `${kind}/${generation}/${p.slot}`,
      parentId: p.parentId,
      generation,
      status: 'invalid',
      verdict,
      rationale: p.rationale,
      taskRewards: {},
      meanReward: 0,
      costUsd: p.usage.costUsd,
      complexity: 0,
      ...lineage,
    });
    if (p.status === 'invalid') {
      records.push(unevaluated('invalid', p.error));
      continue;
    }
    const ev = result.evaluations.find((e) => e.candidateId === p.candidate.id);
    if (ev && records.some((r) => r.id === p.candidate.id)) {
      // A sibling proposed the same harness: evaluated once, and this proposal is a result too (charged, said why).
      records.push(
        unevaluated('duplicate', `duplicate: the same harness as sibling candidate ${p.candidate.id} (evaluated once)`),
      );
      continue;
    }
    if (!ev) continue; // a known candidate (the proposal activity already reports such a harness as a duplicate)
    const diff = p.diffHash ? { diffHash: p.diffHash } : {};
    const base = {
      id: p.candidate.id,
      parentId: p.parentId,
      generation,
      rationale: p.rationale,
      complexity: p.candidate.complexity,
      ...lineage,
      ...diff,
    };
    const costUsd = p.usage.costUsd + trialsUsage(ev.trials).costUsd;
    if (ev.error !== null) {
      records.push({
        ...base,
        status: 'invalid',
        verdict: `broken harness: ${ev.error}`,
        taskRewards: {},
        meanReward: 0,
        costUsd,
      });
      continue;
    }
    const child: CandidateRecord = { ...base, status: 'rejected', verdict: '', ...scored(ev), costUsd };
    const tampered = tamperedTrialsVerdict(ev.trials); // flagged: rejected whatever its score, with the reason
    if (tampered !== null) {
      records.push({ ...child, verdict: tampered });
      continue;
    }
    // A policy's early reject (racing, minibatch) is final, its early accept too when the parent is accepted;
    // else the acceptance rule decides against the parent's anchor. A better-on-average child of a noise-aware rule
    // stays as a stepping stone (src/search/stepping-stones.ts); without stones this is the plain rule.
    const filing = fileChild(c.search, child, p.parentId, ev.decision, accept, rng, {
      stones: c.prepared.plan.acceptance.mode !== 'greedy',
      tolerance: stoneRulesOf(c).tolerance,
    });
    const stone = filing.anchorId !== undefined ? { anchorId: filing.anchorId } : {};
    records.push({ ...child, status: filing.status, verdict: verdictWithSavings(filing.reason, ev), ...stone });
  }
  return { records, rngState: rng.state };
}

/**
 * Folds records into the search state. Rejected and invalid records are counted and sent to the store but
 * not carried — except the best stepping stones (parents, never picks; at most MAX_STEPPING_STONES), so
 * continue-as-new payloads stay bounded.
 */
export function applyRecords(
  c: CampaignCarry,
  generation: number,
  records: CandidateRecord[],
  rngState: number,
): CampaignCarry {
  const kept = records.filter((r) => r.status === 'evaluated' || r.anchorId !== undefined);
  const added = addCandidates(c.search, kept);
  const search = { ...added, candidates: carriedRecords(added.candidates, added), generation, rngState };
  const flagged = records
    .filter((r) => isTamperingVerdict(r.verdict))
    .map((r) => ({ candidateId: r.id, generation: r.generation, reason: r.verdict }));
  return {
    ...c,
    search,
    ...(flagged.length > 0 ? { flagged: [...(c.flagged ?? []), ...flagged].slice(-MAX_FLAGGED) } : {}),
    rejectedCount: c.rejectedCount + records.filter((r) => r.status === 'rejected').length,
    invalidCount: c.invalidCount + records.filter((r) => r.status === 'invalid').length,
  };
}

function stopper(c: CampaignCarry): Stopper {
  const plan = c.prepared.plan;
  const b = c.budget;
  const parts: Stopper[] = [];
  if (plan.generations !== undefined) parts.push(maxGenerations(plan.generations));
  if (b.trials !== undefined) parts.push(maxTrials(b.trials));
  if (b.usd !== undefined) parts.push(maxDollars(b.usd));
  if (b.tokens !== undefined) parts.push(maxTokens(b.tokens));
  if (b.wallTimeMinutes !== undefined) parts.push(maxWallTime(b.wallTimeMinutes));
  if (plan.targetScore !== undefined) parts.push(targetScore(plan.targetScore));
  if (plan.plateauGenerations !== undefined) parts.push(plateau(plan.plateauGenerations));
  return anyStopper(...parts);
}

/** The most trials a generation can spend: racing may give contested tasks extra repeats (others spend less). */
export function plannedGenerationTrials(c: CampaignCarry): number {
  const { plan } = c.prepared;
  const extra = plan.evaluation?.policy === 'racing' ? plan.evaluation.racing.maxExtraRepeats : 0;
  return plan.proposalsPerGeneration * plan.train.length * (plan.repeats + extra);
}

/** Why the campaign should stop before starting another generation, or null. */
export function stopReason(c: CampaignCarry, nowMs: number): string | null {
  if (c.stopRequested) return c.stopReason ?? 'stopped by request';
  const reason = stopper(c)({ state: c.search, ledger: c.ledger, startedAtMs: c.startedAtMs, nowMs });
  if (reason) return reason;
  const over = wouldExceed(c.ledger, c.budget, plannedGenerationTrials(c));
  return over ? `next generation would exceed the ${over}` : null;
}

export function estimateTotalTrials(c: CampaignCarry): number | null {
  if (c.budget.trials !== undefined) return c.budget.trials;
  const { plan } = c.prepared;
  if (plan.generations === undefined) return null;
  // Baseline + every generation + holdout of the best and the seed.
  return (
    plan.train.length * plan.repeats +
    plan.generations * plannedGenerationTrials(c) +
    2 * plan.holdout.length * plan.holdoutRepeats
  );
}

export interface StatusExtras {
  phase: CampaignPhase;
  waiting: WaitingForRetry | null;
  holdout: HoldoutScore[];
  currentChild: string | null;
}

export function statusOf(c: CampaignCarry, x: StatusExtras): CampaignStatus {
  const best = pickOf(c);
  return {
    name: c.prepared.plan.name,
    generation: c.search.generation,
    phase: x.phase,
    bestTrainScore: best?.meanReward ?? null,
    bestCandidateId: best?.id ?? null,
    bestHoldoutScore: best ? (x.holdout.find((h) => h.candidateId === best.id)?.holdoutScore ?? null) : null,
    spend: c.ledger,
    budget: c.budget,
    trialsDone: c.ledger.trials,
    trialsCached: c.cachedTrials,
    trialsTotal: estimateTotalTrials(c),
    paused: c.paused,
    pauseReason: c.paused ? (c.pauseReason ?? null) : null,
    stopRequested: c.stopRequested,
    waitingForRetry: x.waiting,
    currentChild: x.currentChild,
    lastError: c.lastError,
    hints: c.hints.length,
    candidates: { evaluated: acceptedCount(c), rejected: c.rejectedCount, invalid: c.invalidCount },
    flagged: c.flagged ?? [],
    run: c.runs,
  };
}

/** Accepted candidates carried (the stepping stones carried beside them are rejected ones). */
export const acceptedCount = (c: CampaignCarry): number =>
  c.search.candidates.filter((x) => x.status === 'evaluated').length;

export const frontierOf = (c: CampaignCarry): CandidateRecord[] => frontierCandidates(c.search);
