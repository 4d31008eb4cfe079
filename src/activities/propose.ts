/**
 * proposeCandidate activity: gives the meta-agent (the Proposer port) a fresh editable copy of the parent
 * harness, then validates what it left there. Valid, changed harnesses are copied into the campaign's
 * content-addressed harness folder; everything else comes back as an `invalid` outcome with the reason
 * (an expected result, not a failure). Every proposal is recorded in the store once — except one whose
 * meta-agent hit a systemic model fault (rejected key, outage): that is no proposal at all, nothing is
 * recorded or charged, and the activity fails with the fault's type (./faults.ts) for the workflow to act on.
 */
import { Context } from '@temporalio/activity';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { copyHarness } from '../harness/files';
import { validateHarness } from '../harness/load';
import { zeroUsage } from '../llm/usage';
import { harnessTampering } from '../meta/screen';
import type { CampaignStore } from '../store/store';
import type { ProposalOutcome, ProposalRequest } from '../workflows/types';
import { llmFaultFailure } from './faults';
import { loadHarnessCached, materializeHarness } from './harness-store';
import type { InvalidProposalError } from './errors';
import type { ActivityDeps, ProposalResult } from './ports';

const HEARTBEAT_EVERY_MS = 5_000;

export function createProposeCandidate(deps: ActivityDeps, storeFor: (dir: string) => CampaignStore) {
  return async function proposeCandidate(req: ProposalRequest): Promise<ProposalOutcome> {
    const proposalId = `${req.campaign}/${req.attemptLabel}/slot-${req.slot}`;
    const workDir = path.join(req.campaignDir, 'proposals', req.attemptLabel, `slot-${req.slot}`);
    await rm(workDir, { recursive: true, force: true }); // a retried attempt starts from the parent again
    await copyHarness(req.parent.dir, workDir);

    const ctx = Context.current();
    const beat = (detail: unknown): void => ctx.heartbeat(detail);
    const timer = setInterval(() => beat({ proposalId, alive: true }), HEARTBEAT_EVERY_MS);
    let result: ProposalResult;
    try {
      result = await deps.propose({ ...req, proposalId, workDir, signal: ctx.cancellationSignal, heartbeat: beat });
    } catch (err) {
      const fault = llmFaultFailure(err, { model: await metaModelOf(req), what: `proposal ${proposalId}` });
      if (fault) throw fault;
      if ((err as Error).name !== 'InvalidProposalError') throw err; // retried by Temporal
      const spent = err as InvalidProposalError;
      result = { rationale: '', usage: spent.usage ?? zeroUsage(), trajectoryPath: spent.trajectoryPath ?? null };
      return invalid(req, storeFor, proposalId, `meta-agent: ${(err as Error).message}`, result);
    } finally {
      clearInterval(timer);
    }

    const checked = await validateHarness(workDir);
    if (!checked.ok) return invalid(req, storeFor, proposalId, `invalid harness: ${checked.error}`, result);
    if (checked.harness.id === req.parent.id) return invalid(req, storeFor, proposalId, 'no change from the parent harness', result);
    // The meta-agent is told not to tamper, and watched: a change that reaches for the verifier is rejected unrun.
    const tampering = harnessTampering(await parentFilesOf(req), checked.harness.files);
    if (tampering) return invalid(req, storeFor, proposalId, tampering, result);
    // The same harness (same content id) as a candidate recorded before: its result is known, never evaluated twice.
    const known = storeFor(req.campaignDir).getCandidate(checked.harness.id);
    if (known && known.campaign === req.campaign) {
      const verdict = `duplicate of candidate ${known.id} (generation ${known.generation}, ${known.status}): not evaluated again`;
      return invalid(req, storeFor, proposalId, verdict, result);
    }
    const candidate = await materializeHarness(req.campaignDir, checked.harness);
    storeFor(req.campaignDir).recordProposal({
      proposalId, campaign: req.campaign, generation: req.generation, parentId: req.parent.id, candidateId: candidate.id,
      status: 'ok', error: null, rationale: result.rationale, usage: result.usage,
    }, { trajectoryJson: await readTrajectory(result.trajectoryPath) });
    return { slot: req.slot, parentId: req.parent.id, status: 'valid', candidate, rationale: result.rationale, usage: result.usage, ...mergeOf(req) };
  };
}

/** The meta-agent's model: campaign.yaml's metaModel, else the parent's (the same-model rule). */
async function metaModelOf(req: ProposalRequest): Promise<string> {
  if (req.meta?.model) return req.meta.model;
  return loadHarnessCached(req.parent.dir).then((h) => h.config.model, () => 'the task model');
}

/** The parent's files, to screen only what the proposal changed; null (screen everything) if unreadable. */
async function parentFilesOf(req: ProposalRequest): Promise<Record<string, string> | null> {
  return loadHarnessCached(req.parent.dir).then((h) => h.files, () => null);
}

async function readTrajectory(p: string | null | undefined): Promise<string | undefined> {
  return p ? readFile(p, 'utf8').catch(() => undefined) : undefined;
}

async function invalid(
  req: ProposalRequest, storeFor: (dir: string) => CampaignStore, proposalId: string, error: string, result: ProposalResult,
): Promise<ProposalOutcome> {
  storeFor(req.campaignDir).recordProposal({
    proposalId, campaign: req.campaign, generation: req.generation, parentId: req.parent.id, candidateId: null,
    status: 'invalid', error, rationale: result.rationale, usage: result.usage,
  }, { trajectoryJson: await readTrajectory(result.trajectoryPath) });
  return { slot: req.slot, parentId: req.parent.id, status: 'invalid', error, rationale: result.rationale, usage: result.usage, ...mergeOf(req) };
}

/** A merge proposal's outcome names its second parent (lineage in the store and the report). */
const mergeOf = (req: ProposalRequest): { secondParentId?: string } => (req.merge ? { secondParentId: req.merge.other.id } : {});
