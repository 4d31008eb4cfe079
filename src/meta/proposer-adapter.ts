/**
 * The production Proposer (src/activities/ports.ts): plugs the meta-agent into the proposeCandidate
 * activity. It reads the campaign store (experiment log, the parent's TRAIN trials), the user's program
 * and the parent harness, runs proposeCandidate, and leaves exactly the proposed files in `workDir` for
 * the activity to validate and materialize. Outcomes map onto the activity's retry rules:
 * - ok → { rationale, usage } (+ trajectoryPath);
 * - invalid (did not finish, broken harness, no change) → InvalidProposalError carrying `usage` and
 *   `trajectoryPath` (non-retryable: rerunning the same script cannot help, and tokens were spent);
 * - MetaAgentError (model API, abort) and Docker errors propagate, so Temporal retries them; a systemic model
 *   fault rides along as the MetaAgentError's `cause`, which the activity turns into its fault type.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidProposalError } from '../activities/errors';
import type { Proposer, ProposerInput, ProposalResult } from '../activities/ports';
import { loadHarness } from '../harness/load';
import type { LlmClient } from '../llm/client';
import { zeroUsage, type Usage } from '../llm/usage';
import type { SandboxProvider } from '../sandbox/provider';
import { storeCache, type CampaignStore } from '../store/store';
import { readExperiments, readParentTrials } from './campaign-context';
import { readMergeInput } from './merge-context';
import { proposeCandidate } from './propose';
import type { ProposeInput } from './schema';
import { syncHarnessDir } from './sync-dir';

/** Used when the campaign has no program.md. */
export const DEFAULT_PROGRAM = [
  '# Program',
  '',
  'Improve the harness so the task agent solves more of the training tasks.',
  'Study the failing trials, find the cause, and make one focused, general change (no task-specific hacks).',
  'Prefer simple changes: a smaller harness wins ties.',
  '',
].join('\n');

export interface MetaProposerOptions {
  /** Sandbox provider for the meta sandbox; default Docker. */
  provider?: SandboxProvider;
  /** Model client; default the real API from env (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL). */
  llm?: LlmClient;
  /** Wall-clock budget of one meta-agent run (default DEFAULT_META_TIMEOUT_SEC). */
  timeoutSec?: number;
  /** Store of a campaign folder; default openStore(dir), cached per folder. */
  storeFor?: (campaignDir: string) => CampaignStore;
}

/** The ok result, plus where the meta-agent's ATIF trajectory is (not yet a field of the port). */
export type MetaProposalResult = ProposalResult & { trajectoryPath: string };

/** InvalidProposalError with what the attempt cost, so the activity can charge it. */
export type InvalidMetaProposalError = InvalidProposalError & { usage: Usage; trajectoryPath: string | null };

export function invalidProposal(reason: string, usage: Usage, trajectoryPath: string | null): InvalidMetaProposalError {
  return Object.assign(new InvalidProposalError(reason), { usage, trajectoryPath });
}


/** Where the meta-agent's own files (trajectory, transient workspace) go: next to the workDir. */
export const metaOutDir = (input: Pick<ProposerInput, 'campaignDir' | 'attemptLabel' | 'slot'>): string =>
  path.join(input.campaignDir, 'proposals', input.attemptLabel, `slot-${input.slot}-meta`);

async function readProgram(programPath: string | null | undefined): Promise<string> {
  if (!programPath) return DEFAULT_PROGRAM;
  try {
    return await readFile(programPath, 'utf8');
  } catch (err) {
    // Retrying cannot make the file appear: every proposal is invalid and the generation says why.
    throw invalidProposal(`cannot read program file ${programPath}: ${(err as Error).message}`, zeroUsage(), null);
  }
}

/** Everything proposeCandidate needs, gathered from the store, the program file and the parent folder. */
export async function gatherProposeInput(input: ProposerInput, store: CampaignStore, timeoutSec?: number): Promise<ProposeInput> {
  const parent = await loadHarness(input.parent.dir);
  const trainTasks = input.trainTasks.map((t) => t.name);
  return {
    parent: { files: parent.files, id: parent.id },
    program: await readProgram(input.meta?.programPath),
    experiments: readExperiments(store, input.campaign, input.holdoutTasks),
    trials: await readParentTrials(store, {
      campaign: input.campaign, parentId: input.parent.id, trainTasks, holdoutTasks: input.holdoutTasks,
    }),
    holdoutTasks: input.holdoutTasks,
    hints: input.hints,
    model: input.meta?.model ?? parent.config.model,
    generation: input.generation,
    proposalIndex: input.slot,
    ...(timeoutSec !== undefined ? { timeoutSec } : {}),
    ...(input.merge
      ? { merge: await readMergeInput(store, { campaignDir: input.campaignDir, parent: { id: parent.id, files: parent.files }, merge: input.merge }) }
      : {}),
  };
}

export function createMetaProposer(opts: MetaProposerOptions = {}): Proposer {
  const storeFor = opts.storeFor ?? storeCache();
  return async function metaProposer(input: ProposerInput): Promise<MetaProposalResult> {
    const proposeInput = await gatherProposeInput(input, storeFor(input.campaignDir), opts.timeoutSec);
    const result = await proposeCandidate(proposeInput, {
      outDir: metaOutDir(input),
      signal: input.signal,
      onProgress: (e) => input.heartbeat({ proposalId: input.proposalId, turn: e.turn, costUsd: e.usage.costUsd }),
      ...(opts.provider ? { provider: opts.provider } : {}),
      ...(opts.llm ? { llm: opts.llm } : {}),
    });
    // A cancelled activity must not be recorded as an invalid proposal: surface the cancellation itself.
    if (input.signal.aborted) throw input.signal.reason instanceof Error ? input.signal.reason : new Error('proposal cancelled');
    if (result.status === 'invalid') throw invalidProposal(result.reason, result.usage, result.trajectoryPath);
    await syncHarnessDir(input.workDir, result.files, result.harnessId);
    return { rationale: result.rationale, usage: result.usage, trajectoryPath: result.trajectoryPath };
  };
}
