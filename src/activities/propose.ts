/**
 * proposeCandidate activity: gives the proposer (the Proposer port: the meta-agent in production) the
 * parent harness, and takes back a value: proposed files, or why there are none. The files are judged once
 * (./proposal-check.ts), a known harness is never evaluated twice, and a valid one is written into the
 * campaign's content-addressed harness folder once, with its diff against the parent stored once. Every
 * proposal is recorded in the store once — except one whose proposer hit a systemic model fault (rejected
 * key, outage): that is no proposal at all, nothing is recorded or charged, and the activity fails with the
 * fault's type (./faults.ts) for the workflow to act on. Any other thrown error is retried by Temporal.
 */
import { Context } from '@temporalio/activity';
import { readFile } from 'node:fs/promises';
import { diffFiles } from '../harness/diff';
import type { Harness } from '../harness/schema';
import type { ProposalResult } from '../meta/schema';
import type { CampaignStore } from '../store/store';
import type { ProposalOutcome, ProposalRequest } from '../workflows/types';
import { llmFaultFailure } from './faults';
import { loadHarnessCached, materializeHarness } from './harness-store';
import { harnessDirFor, publishHarness, workerHome } from '../store/references';
import { withHeartbeat } from '../util/heartbeat';
import { checkProposedFiles } from './proposal-check';
import type { ActivityDeps } from './ports';

/** A proposal learns of its cancellation from a heartbeat's answer: beat often. */
const HEARTBEAT_EVERY_MS = 5_000;

export function createProposeCandidate(deps: ActivityDeps, storeFor: (dir: string) => Promise<CampaignStore>) {
  return async function proposeCandidate(req: ProposalRequest): Promise<ProposalOutcome> {
    const proposalId = `${req.campaign}/${req.attemptLabel}/slot-${req.slot}`;
    const store = await storeFor(req.campaignDir);
    // The parents' folders on this machine (fetched when another machine materialized them).
    const dirOf = (ref: { id: string; dir?: string }): Promise<string> =>
      harnessDirFor(store, req.campaignDir, ref.id, process.env, ref.dir);
    const parentDir = await dirOf(req.parent);
    const here = { ...req, parent: { ...req.parent, dir: parentDir } };
    if (req.merge) here.merge = { ...req.merge, other: { ...req.merge.other, dir: await dirOf(req.merge.other) } };
    const parent = await loadHarnessCached(parentDir);
    const ctx = Context.current();
    const beat = (detail: unknown): void => ctx.heartbeat(detail);
    const result = await withHeartbeat(
      beat,
      { proposalId, alive: true },
      () =>
        deps.propose({ ...here, proposalId, parentHarness: parent, signal: ctx.cancellationSignal, heartbeat: beat }),
      HEARTBEAT_EVERY_MS,
    ).catch((err: unknown) => {
      throw (
        llmFaultFailure(err, { model: req.meta?.model ?? parent.config.model, what: `proposal ${proposalId}` }) ?? err
      );
    });
    const record = recorder(req, store, proposalId, result);
    if (result.kind === 'invalid') return record.invalid(`meta-agent: ${result.reason}`);

    const checked = checkProposedFiles(parent, result.files, req.campaignDir, req.meta?.taskModel);
    if (!checked.ok) return record.invalid(checked.reason);
    // The same harness (same content id) as a candidate recorded before: its result is known, never evaluated twice.
    const known = await store.getCandidate(checked.harness.id);
    if (known && known.campaign === req.campaign) {
      return record.invalid(
        `duplicate of candidate ${known.id} (generation ${known.generation}, ${known.status}): not evaluated again`,
      );
    }
    return record.valid(parent, checked.harness);
  };
}

/** Records one proposal's outcome in the store and returns it as the workflow's ProposalOutcome. */
function recorder(req: ProposalRequest, store: CampaignStore, proposalId: string, result: ProposalResult) {
  const base = {
    slot: req.slot,
    parentId: req.parent.id,
    usage: result.usage,
    rationale: result.kind === 'ok' ? result.rationale : '',
  };
  // A merge proposal's outcome names its second parent (lineage in the store and the report).
  const merge = req.merge ? { secondParentId: req.merge.other.id } : {};
  const save = async (candidateId: string | null, error: string | null): Promise<void> => {
    await store.recordProposal(
      {
        proposalId,
        campaign: req.campaign,
        generation: req.generation,
        parentId: req.parent.id,
        candidateId,
        status: error === null ? 'ok' : 'invalid',
        error,
        rationale: base.rationale,
        usage: result.usage,
      },
      { trajectoryJson: await readTrajectory(result.trajectoryRef) },
    );
  };
  return {
    async invalid(error: string): Promise<ProposalOutcome> {
      await save(null, error);
      return { ...base, status: 'invalid', error, ...merge };
    },
    async valid(parent: Harness, harness: Harness): Promise<ProposalOutcome> {
      const materialized = await materializeHarness(workerHome(req.campaignDir), harness, parent.dir);
      await publishHarness(store, materialized);
      const diffHash = await store.putArtifact(diffFiles(parent.files, harness.files));
      await save(materialized.id, null);
      // By reference: the id (its folder is harnesses/<id>/ here, its bundle for workers elsewhere).
      const candidate = { id: materialized.id, complexity: materialized.complexity };
      return { ...base, status: 'valid', candidate, diffHash, ...merge };
    },
  };
}

async function readTrajectory(ref: string | null): Promise<string | undefined> {
  return ref ? readFile(ref, 'utf8').catch(() => undefined) : undefined;
}
