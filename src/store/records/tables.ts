/** The record tables as Kysely sees them: one schema for SQLite and PostgreSQL (times are ISO-8601 text). */
import type { Generated } from 'kysely';

interface TrialsTable {
  trial_id: string;
  campaign: string;
  candidate_id: string | null;
  harness_id: string | null;
  task: string;
  task_hash: string;
  repeat: number;
  model: string | null;
  reward: number;
  error: string | null;
  usage_json: string;
  result_json: string;
  trajectory_hash: string | null;
  verifier_log_hash: string | null;
  /** Added by migration 4: the trial folder's other files as one bundle (workers elsewhere), or null. */
  files_hash?: string | null;
  created_at: string;
}

interface CandidatesTable {
  id: string;
  campaign: string;
  parent_id: string | null;
  second_parent_id: string | null;
  generation: number;
  status: string;
  verdict: string;
  rationale: string;
  diff_hash: string | null;
  harness_hash: string | null;
  train_score: number;
  task_rewards_json: string;
  cost_usd: number;
  complexity: number;
  created_at: string;
  updated_at: string;
}

interface ProposalsTable {
  proposal_id: string;
  campaign: string;
  generation: number;
  parent_id: string | null;
  candidate_id: string | null;
  status: string;
  error: string | null;
  rationale: string;
  usage_json: string;
  trajectory_hash: string | null;
  created_at: string;
}

interface EventsTable {
  id: Generated<number>;
  campaign: string;
  kind: string;
  data_json: string;
  created_at: string;
}

/** Which bundle (an artifact) holds a task, harness or campaign input a worker may have to fetch (references.ts). */
interface BundlesTable {
  kind: string;
  key: string;
  hash: string;
  created_at: string;
}

interface SchemaVersionTable {
  version: number;
}

export interface RecordTables {
  trials: TrialsTable;
  faulted_trials: TrialsTable;
  candidates: CandidatesTable;
  proposals: ProposalsTable;
  events: EventsTable;
  bundles: BundlesTable;
  autoagent_schema: SchemaVersionTable;
}
