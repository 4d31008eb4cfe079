/**
 * What the activities need from the rest of the system, as narrow ports, so tests pass fakes for the two
 * expensive parts (a trial, a meta-agent proposal) while the store and harness validation stay real.
 */
import type { Harness } from '../harness/schema';
import type { ProposalResult } from '../meta/schema';
import type { TamperJudge } from '../meta/screen/judge';
import type { CampaignStore } from '../store/store';
import type { TrialResult } from '../trial/types';
import type { CampaignPlan, ProposalRequest, TaskRef } from '../workflows/types';

/** Runs one trial of `harness` on the task; never throws for task-level failures (reward 0 + error). */
/** A task reference resolved on this worker: `dir` is its folder here (src/store/references.ts). */
export type LocalTaskRef = TaskRef & { dir: string };

export type TrialRunner = (req: {
  trialId: string;
  task: LocalTaskRef;
  harness: Harness;
  repeat: number;
  /** Trial files go to outDir/<trialId>/. */
  outDir: string;
  signal: AbortSignal;
  heartbeat: (detail: unknown) => void;
}) => Promise<TrialResult>;

/** What a proposer is given: the request, plus the parent harness (loaded and validated once, by the activity). */
export interface ProposerInput extends ProposalRequest {
  proposalId: string;
  parentHarness: Harness;
  signal: AbortSignal;
  heartbeat: (detail: unknown) => void;
}

/**
 * The meta-agent. It returns a value: the proposed files, or `invalid` with the reason (both charged). A
 * systemic model fault (src/llm/errors.ts, also as the `cause` of a wrapper) is no proposal at all: the
 * activity fails with its fault type (retried, or the campaign pauses); any other thrown error is retried,
 * then marks the proposal invalid.
 */
export type Proposer = (input: ProposerInput) => Promise<ProposalResult>;

/** Reads a campaign config file into a resolved plan (tasks loaded and hashed, paths absolute). */
export type PlanLoader = (configPath: string) => Promise<CampaignPlan>;

export interface ActivityDeps {
  runTrial: TrialRunner;
  propose: Proposer;
  loadPlan: PlanLoader;
  /** Store of a campaign folder; default: openStore(dir), cached per folder. */
  storeFor?: (campaignDir: string) => Promise<CampaignStore>;
  /** The LLM judge of reward hacking for a model (campaign.yaml `tamperingJudge`); default: createLlmClient(model). */
  tamperJudge?: (model: string) => TamperJudge;
  /** Custom search attributes registered on the server; default: none (never upserted). */
  searchAttributes?: () => Promise<string[]>;
}
