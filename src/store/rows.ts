/**
 * Stored record shapes and their decoding from SQLite rows. JSON columns are validated with zod on the way
 * out, so a hand-edited or corrupted row fails loudly with the store file named.
 */
import { z } from 'zod';
import type { CandidateRecord, CandidateStatus } from '../search/types';
import type { Usage } from '../llm/usage';
import { UsageSchema } from '../llm/usage';
import { TrialResultSchema } from '../trial/types';
import type { TrialResult } from '../trial/types';
import { firstIssue } from '../util/zod-issue';
import { StoreError } from './errors';

export interface StoredTrial {
  trialId: string;
  campaign: string;
  candidateId: string | null;
  harnessId: string | null;
  task: string;
  taskHash: string;
  repeat: number;
  model: string | null;
  reward: number;
  error: string | null;
  usage: Usage;
  result: TrialResult;
  trajectoryHash: string | null;
  verifierLogHash: string | null;
  /** The trial folder's other files as one bundle (recorded by a worker with shared stores), or null. */
  filesHash: string | null;
  createdAt: string;
}

export interface StoredCandidate extends CandidateRecord {
  campaign: string;
  harnessHash: string | null;
  diffHash: string | null;
  createdAt: string;
  updatedAt: string;
}

type ProposalStatus = 'ok' | 'invalid' | 'error';

export interface ProposalInput {
  proposalId: string;
  campaign: string;
  generation: number;
  parentId: string | null;
  /** The child harness id, null when the proposal produced no valid harness. */
  candidateId: string | null;
  status: ProposalStatus;
  error: string | null;
  rationale: string;
  usage: Usage;
}

export interface StoredProposal extends ProposalInput {
  trajectoryHash: string | null;
  createdAt: string;
}

export interface StoredEvent {
  id: number;
  campaign: string;
  kind: string;
  data: unknown;
  createdAt: string;
}

export type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function json<T>(schema: z.ZodType<T>, text: unknown, what: string, file: string): T {
  return check(schema, JSON.parse(str(text)), what, file);
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoreError(`corrupt ${what}: ${firstIssue(parsed.error).message}`, file);
  return parsed.data;
}

const TaskRewards = z.record(z.string(), z.array(z.number()));
const CandidateStatusSchema = z.enum(['evaluated', 'rejected', 'invalid']);
const ProposalStatusSchema = z.enum(['ok', 'invalid', 'error']);

export function decodeTrial(r: Row, file: string): StoredTrial {
  return {
    trialId: str(r.trial_id),
    campaign: str(r.campaign),
    candidateId: strOrNull(r.candidate_id),
    harnessId: strOrNull(r.harness_id),
    task: str(r.task),
    taskHash: str(r.task_hash),
    repeat: Number(r.repeat),
    model: strOrNull(r.model),
    reward: Number(r.reward),
    error: strOrNull(r.error),
    usage: json(UsageSchema, r.usage_json, 'trial usage', file),
    result: json(TrialResultSchema, r.result_json, 'trial result', file),
    trajectoryHash: strOrNull(r.trajectory_hash),
    verifierLogHash: strOrNull(r.verifier_log_hash),
    filesHash: strOrNull(r.files_hash),
    createdAt: str(r.created_at),
  };
}

export function decodeCandidate(r: Row, file: string): StoredCandidate {
  return {
    id: str(r.id),
    campaign: str(r.campaign),
    parentId: strOrNull(r.parent_id),
    secondParentId: strOrNull(r.second_parent_id),
    generation: Number(r.generation),
    status: check<CandidateStatus>(CandidateStatusSchema, r.status, 'candidate status', file),
    verdict: str(r.verdict),
    rationale: str(r.rationale),
    taskRewards: json(TaskRewards, r.task_rewards_json, 'candidate task rewards', file),
    meanReward: Number(r.train_score),
    costUsd: Number(r.cost_usd),
    complexity: Number(r.complexity),
    harnessHash: strOrNull(r.harness_hash),
    diffHash: strOrNull(r.diff_hash),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

export function decodeProposal(r: Row, file: string): StoredProposal {
  return {
    proposalId: str(r.proposal_id),
    campaign: str(r.campaign),
    generation: Number(r.generation),
    parentId: strOrNull(r.parent_id),
    candidateId: strOrNull(r.candidate_id),
    status: check(ProposalStatusSchema, r.status, 'proposal status', file),
    error: strOrNull(r.error),
    rationale: str(r.rationale),
    usage: json(UsageSchema, r.usage_json, 'proposal usage', file),
    trajectoryHash: strOrNull(r.trajectory_hash),
    createdAt: str(r.created_at),
  };
}

export function decodeEvent(r: Row): StoredEvent {
  return {
    id: Number(r.id),
    campaign: str(r.campaign),
    kind: str(r.kind),
    data: JSON.parse(str(r.data_json)),
    createdAt: str(r.created_at),
  };
}
