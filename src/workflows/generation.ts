/**
 * GenerationWorkflow: K proposals in parallel (meta queue), then every new valid child evaluated on the
 * train tasks through the sliding window (trials queue). It never throws for expected trouble: a failed
 * proposal is an invalid outcome. A generation whose meta-agents all ran but left invalid or unchanged
 * harnesses is a result (rejected candidates, charged; the plateau stopper handles a run of them); one whose
 * proposal activities failed, or whose trials hit infrastructure errors, comes back as `failure` (with the
 * work that did complete), so the campaign can charge it and wait for a retry.
 * A proposal that failed on a systemic model fault (rejected key, outage past its retries) is NOT an invalid
 * proposal — the meta-agent never got to try: the generation fails with that `fault` and evaluates nothing.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { zeroUsage } from '../llm/usage';
import { metaActivities } from './activities';
import { pauseSignal, progressQuery, resumeSignal, type GenerationProgress } from './definitions';
import { generationPolicy } from './policies';
import { evaluateCandidates, plannedTrials } from './evaluate';
import { SYSTEMIC_FAULTS_PATCH, systemicFaultOf, worstFault } from './faults';
import type { GenerationInput, GenerationResult, HarnessRef, ProposalOutcome, SystemicFault } from './types';
import { trialErrorText } from './evaluate-common';

/** Marks the branch where a generation of only invalid proposals completes instead of failing. */
const INVALID_PROPOSALS_PATCH = 'invalid-proposals-are-results';

/** New, distinct valid children (a harness identical to a known candidate is not evaluated again). */
function newCandidates(proposals: readonly ProposalOutcome[], knownIds: readonly string[]): HarnessRef[] {
  const seen = new Set(knownIds);
  const out: HarnessRef[] = [];
  for (const p of proposals) {
    if (p.status !== 'valid' || seen.has(p.candidate.id)) continue;
    seen.add(p.candidate.id);
    out.push(p.candidate);
  }
  return out;
}

export async function GenerationWorkflow(input: GenerationInput): Promise<GenerationResult> {
  const progress: GenerationProgress = {
    phase: 'proposing',
    proposalsDone: 0,
    proposalsTotal: input.parents.length,
    trialsDone: 0,
    trialsTotal: 0,
    paused: input.paused,
  };
  setHandler(pauseSignal, () => void (progress.paused = true));
  setHandler(resumeSignal, () => void (progress.paused = false));
  setHandler(progressQuery, () => ({ ...progress }));

  const { proposeCandidate } = metaActivities(input.runtime);
  let fault: SystemicFault | null = null;
  let activityFailed = false;
  const settled = await Promise.all(
    input.parents.map(async (parent, slot): Promise<ProposalOutcome | null> => {
      try {
        return await proposeCandidate({
          campaign: input.campaign,
          campaignDir: input.campaignDir,
          generation: input.generation,
          attemptLabel: input.attemptLabel,
          slot,
          parent,
          hints: input.hints,
          trainTasks: input.train,
          holdoutTasks: input.holdoutTasks,
          meta: input.meta,
          ...(input.merges?.[slot] ? { merge: input.merges[slot] } : {}),
        });
      } catch (err) {
        const f = systemicFaultOf(err);
        // Histories from before faults were typed never carry such a failure; the patch marks the new branch.
        if (f && patched(SYSTEMIC_FAULTS_PATCH)) {
          fault = worstFault(fault, f);
          return null;
        }
        activityFailed = true;
        return {
          slot,
          parentId: parent.id,
          status: 'invalid',
          error: `proposal failed: ${trialErrorText(err)}`,
          rationale: '',
          usage: zeroUsage(),
        };
      } finally {
        progress.proposalsDone++;
      }
    }),
  );
  const proposals = settled.filter((p): p is ProposalOutcome => p !== null);
  if (fault !== null) {
    progress.phase = 'done';
    // The proposals that did complete are returned to be charged (they were paid for); nothing is evaluated.
    return { proposals, evaluations: [], failure: `proposal failed: ${(fault as SystemicFault).message}`, fault };
  }
  if (!proposals.some((p) => p.status === 'valid')) {
    const reasons = proposals.map((p) => (p.status === 'invalid' ? p.error : '')).filter(Boolean);
    progress.phase = 'done';
    // A meta-agent that ran and left an invalid or unchanged harness produced a result (rejected candidates,
    // charged; the plateau stopper handles a run of them). Only a failed proposal activity waits for a retry.
    if (!activityFailed && patched(INVALID_PROPOSALS_PATCH)) return { proposals, evaluations: [], failure: null };
    return { proposals, evaluations: [], failure: `every proposal was invalid: ${reasons.slice(0, 3).join(' | ')}` };
  }

  const candidates = newCandidates(proposals, input.knownIds);
  // Under a non-full evaluation policy each child runs what its policy asks (decided ones are cancelled).
  const evalInput = { ...input, candidates, tasks: input.train, ...generationPolicy(input, proposals) };
  progress.phase = 'evaluating';
  progress.trialsTotal = plannedTrials(evalInput);
  const evaluated = await evaluateCandidates(evalInput, {
    paused: () => progress.paused,
    onTrialDone: () => void progress.trialsDone++,
  });
  progress.phase = 'done';
  return { proposals, ...evaluated };
}
