/**
 * The production Proposer (./ports.ts): plugs the meta-agent (src/meta) into the proposeCandidate activity.
 * It reads the campaign store (experiment log, the parent's TRAIN trials), the user's program and the
 * parent harness the activity loaded, runs the meta-agent, and returns its ProposalResult as it is — the
 * activity judges the files. A MetaAgentError (model API, abort) or a Docker error propagates, so Temporal
 * retries it; a systemic model fault rides along as the MetaAgentError's `cause`, which the activity turns
 * into its fault type. Lives here, not in meta/, so the meta layer never depends on the activities.
 */
import { readFile } from 'node:fs/promises';
import type { LlmClient } from '../llm/client';
import { zeroUsage } from '../llm/usage';
import { readExperiments, readParentTrials } from '../meta/campaign-context';
import { readMergeInput } from '../meta/merge-context';
import { proposeCandidate } from '../meta/propose';
import type { ProposalResult, ProposeInput } from '../meta/schema';
import type { SandboxProvider } from '../sandbox/provider';
import { publishedFileText, workerHome } from '../store/references';
import { storeCache, type CampaignStore } from '../store/store';
import type { Proposer, ProposerInput } from './ports';
import { proposalMetaDir } from '../campaign/layout';

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
  storeFor?: (campaignDir: string) => Promise<CampaignStore>;
}

/** Where the meta-agent's own files (trajectory, transient workspace) go. */
export const metaOutDir = (input: Pick<ProposerInput, 'campaignDir' | 'attemptLabel' | 'slot'>): string =>
  proposalMetaDir(workerHome(input.campaignDir), input.attemptLabel, input.slot);

/** The program text, or why it cannot be read (retrying cannot make the file appear: the proposal is invalid). */
async function readProgram(
  store: CampaignStore,
  campaign: string,
  meta: ProposerInput['meta'],
): Promise<{ text: string } | { reason: string }> {
  // Published by the client as an artifact (src/store/references.ts); a store that cannot answer throws (retried).
  if (meta?.programHash) return { text: await store.getArtifactText(meta.programHash) };
  const programPath = meta?.programPath;
  if (!programPath) return { text: DEFAULT_PROGRAM };
  // A plan from before references names the file.
  const published = await publishedFileText(store, campaign, programPath);
  if (published !== null) return { text: published };
  try {
    return { text: await readFile(programPath, 'utf8') };
  } catch (err) {
    return { reason: `cannot read program file ${programPath}: ${(err as Error).message}` };
  }
}

/** Everything the meta-agent needs, gathered from the store, the program text and the parent harness. */
async function gatherProposeInput(
  input: ProposerInput,
  store: CampaignStore,
  program: string,
  timeoutSec?: number,
): Promise<ProposeInput> {
  const parent = { files: input.parentHarness.files, id: input.parentHarness.id };
  return {
    parent,
    program,
    experiments: await readExperiments(store, input.campaign, input.holdoutTasks),
    trials: await readParentTrials(store, {
      campaign: input.campaign,
      parentId: input.parent.id,
      trainTasks: input.trainTasks.map((t) => t.name),
      holdoutTasks: input.holdoutTasks,
    }),
    holdoutTasks: input.holdoutTasks,
    hints: input.hints,
    model: input.meta?.model ?? input.parentHarness.config.model,
    generation: input.generation,
    proposalIndex: input.slot,
    ...(timeoutSec !== undefined ? { timeoutSec } : {}),
    ...(input.merge
      ? { merge: await readMergeInput(store, { campaignDir: input.campaignDir, parent, merge: input.merge }) }
      : {}),
  };
}

export function createMetaProposer(opts: MetaProposerOptions = {}): Proposer {
  const storeFor = opts.storeFor ?? storeCache();
  return async function metaProposer(input: ProposerInput): Promise<ProposalResult> {
    const store = await storeFor(input.campaignDir);
    const program = await readProgram(store, input.campaign, input.meta);
    if ('reason' in program)
      return { kind: 'invalid', reason: program.reason, usage: zeroUsage(), trajectoryRef: null };
    const proposeInput = await gatherProposeInput(input, store, program.text, opts.timeoutSec);
    const result = await proposeCandidate(proposeInput, {
      outDir: metaOutDir(input),
      signal: input.signal,
      onProgress: (e) => input.heartbeat({ proposalId: input.proposalId, turn: e.turn, costUsd: e.usage.costUsd }),
      ...(opts.provider ? { provider: opts.provider } : {}),
      ...(opts.llm ? { llm: opts.llm } : {}),
    });
    // A cancelled activity must not be recorded as an invalid proposal: surface the cancellation itself.
    if (input.signal.aborted)
      throw input.signal.reason instanceof Error ? input.signal.reason : new Error('proposal cancelled');
    return result;
  };
}
