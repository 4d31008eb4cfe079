/**
 * SQLite schema as an ordered list of migrations; `PRAGMA user_version` records how many ran. Append new
 * migrations, never edit shipped ones. Runs under BEGIN IMMEDIATE so two processes opening a fresh store at
 * once migrate it exactly once.
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE trials (
    trial_id TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    candidate_id TEXT,
    harness_id TEXT,
    task TEXT NOT NULL,
    task_hash TEXT NOT NULL,
    repeat INTEGER NOT NULL,
    model TEXT,
    reward REAL NOT NULL,
    error TEXT,
    usage_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    trajectory_hash TEXT,
    verifier_log_hash TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX trials_cache ON trials (harness_id, task_hash, model, repeat);
  CREATE INDEX trials_campaign ON trials (campaign, candidate_id);

  CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    parent_id TEXT,
    generation INTEGER NOT NULL,
    status TEXT NOT NULL,
    verdict TEXT NOT NULL,
    rationale TEXT NOT NULL,
    diff_hash TEXT,
    harness_hash TEXT,
    train_score REAL NOT NULL,
    task_rewards_json TEXT NOT NULL,
    cost_usd REAL NOT NULL,
    complexity REAL NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX candidates_campaign ON candidates (campaign, generation);

  CREATE TABLE proposals (
    proposal_id TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    generation INTEGER NOT NULL,
    parent_id TEXT,
    candidate_id TEXT,
    status TEXT NOT NULL,
    error TEXT,
    rationale TEXT NOT NULL,
    usage_json TEXT NOT NULL,
    trajectory_hash TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX proposals_campaign ON proposals (campaign, generation);

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign TEXT NOT NULL,
    kind TEXT NOT NULL,
    data_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX events_campaign ON events (campaign, id);
  `,
  // 2: trials stored from systemic faults (see faulted.ts; the list is frozen here as shipped) are not results:
  // moved to faulted_trials — kept for inspection, never served by the cache nor counted.
  `
  CREATE TABLE faulted_trials AS SELECT * FROM trials WHERE 0;
  INSERT INTO faulted_trials SELECT * FROM trials WHERE error IS NOT NULL AND (substr(error, 1, 13) = 'LlmAuthError:' OR substr(error, 1, 22) = 'LlmModelNotFoundError:' OR substr(error, 1, 18) = 'LlmRateLimitError:' OR substr(error, 1, 19) = 'LlmOverloadedError:' OR substr(error, 1, 15) = 'LlmServerError:' OR substr(error, 1, 20) = 'LlmUnavailableError:' OR substr(error, 1, 19) = 'LlmCredentialError:' OR substr(error, 1, 15) = 'LlmConfigError:' OR substr(error, 1, 23) = 'DockerUnavailableError:');
  DELETE FROM trials WHERE error IS NOT NULL AND (substr(error, 1, 13) = 'LlmAuthError:' OR substr(error, 1, 22) = 'LlmModelNotFoundError:' OR substr(error, 1, 18) = 'LlmRateLimitError:' OR substr(error, 1, 19) = 'LlmOverloadedError:' OR substr(error, 1, 15) = 'LlmServerError:' OR substr(error, 1, 20) = 'LlmUnavailableError:' OR substr(error, 1, 19) = 'LlmCredentialError:' OR substr(error, 1, 15) = 'LlmConfigError:' OR substr(error, 1, 23) = 'DockerUnavailableError:');
  `,
  // 3: a merge proposal's candidate has two parents (parent_id is the one it was tested against).
  `
  ALTER TABLE candidates ADD COLUMN second_parent_id TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database up to SCHEMA_VERSION; refuses a database written by a newer version. */
export function migrate(db: Database.Database, file: string): void {
  const run = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `schema version ${version} is newer than this autoagent's (${SCHEMA_VERSION}); upgrade autoagent`,
        file,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  run.immediate();
}
