/**
 * The campaign store: `<dir>/store.sqlite` (WAL, so the CLI can read while workers write) plus the
 * content-addressed artifacts folder. Trials are recorded exactly once (INSERT OR IGNORE on the
 * deterministic trial id), so a retried activity or a second worker can never double-count or double-pay.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { CandidateRecord } from '../search/types';
import type { TrialResult } from '../trial/types';
import * as artifacts from './artifacts';
import { StoreError } from './errors';
import type { ProposalInput, Row, StoredCandidate, StoredEvent, StoredProposal, StoredTrial } from './rows';
import { decodeCandidate, decodeEvent, decodeProposal, decodeTrial } from './rows';
import { SYSTEMIC_ERROR_SQL } from './faulted';
import { migrate } from './schema';
import { storeFile } from '../campaign/layout';

export interface RecordTrialOptions {
  campaign: string;
  candidateId: string | null;
  /** Task content hash: with the task name, harness id, model and repeat it is the cache key. */
  taskHash: string;
  /** ATIF trajectory (text or object), stored as an artifact. */
  trajectoryJson?: string | object;
  verifierLog?: string;
}

/**
 * What makes two trials the same experiment. The task's name is part of it, not only its bytes: a holdout
 * task that is a byte copy of a train task must run its own trials, never be served the train trial.
 */
export interface CacheKey {
  harnessId: string | null;
  /** Task name (the `task` column): its identity within the benchmark. */
  task: string;
  taskHash: string;
  model: string | null;
  repeat: number;
}

export interface RecordCandidateOptions {
  campaign: string;
  /** The harness files ({relPath: content}); stored as one artifact. */
  harnessFiles?: Record<string, string>;
  /** Unified diff against the parent, stored as an artifact. */
  diff?: string;
  /** Or the artifact of that diff, already stored (a proposal stores its diff once). */
  diffHash?: string | null;
}

const str = (v: unknown): string => String(v);
const toText = (x: string | object): string => (typeof x === 'string' ? x : JSON.stringify(x));

export class CampaignStore {
  readonly file: string;
  private readonly db: Database.Database;

  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = storeFile(dir);
    try {
      fs.mkdirSync(dir, { recursive: true });
      this.db = new Database(this.file);
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } catch (err) {
      throw new StoreError(`cannot open store: ${(err as Error).message}`, this.file);
    }
    migrate(this.db, this.file);
  }

  close(): void {
    this.db.close();
  }

  putArtifact = (data: Buffer | string): string => artifacts.putArtifact(this.dir, data);
  getArtifact = (hash: string): Buffer => artifacts.getArtifact(this.dir, hash);
  getArtifactText = (hash: string): string => artifacts.getArtifactText(this.dir, hash);
  putHarness = (files: Record<string, string>): string => artifacts.putHarness(this.dir, files);
  getHarness = (hash: string): Record<string, string> => artifacts.getHarness(this.dir, hash);

  /** Records a trial once; a second call with the same trial id changes nothing and returns inserted: false. */
  recordTrial(result: TrialResult, opts: RecordTrialOptions): { inserted: boolean; trialId: string } {
    const trajectoryHash = opts.trajectoryJson === undefined ? null : this.putArtifact(toText(opts.trajectoryJson));
    const verifierLogHash = opts.verifierLog === undefined ? null : this.putArtifact(opts.verifierLog);
    this.moveFaultedTrial(result.trialId);
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO trials (trial_id, campaign, candidate_id, harness_id, task, task_hash, repeat, model, reward,
           error, usage_json, result_json, trajectory_hash, verifier_log_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        result.trialId,
        opts.campaign,
        opts.candidateId,
        result.harnessId,
        result.task,
        opts.taskHash,
        result.repeat,
        result.model,
        result.reward,
        result.error,
        JSON.stringify(result.usage),
        JSON.stringify(result),
        trajectoryHash,
        verifierLogHash,
        this.now().toISOString(),
      );
    return { inserted: info.changes === 1, trialId: result.trialId };
  }

  /**
   * A row an older worker stored for a systemic fault holds this trial id: move it to faulted_trials so the
   * real result can take its place (INSERT OR IGNORE would otherwise keep the fault).
   */
  private moveFaultedTrial(trialId: string): void {
    const where = `trial_id = ? AND error IS NOT NULL AND ${SYSTEMIC_ERROR_SQL}`;
    this.db
      .transaction(() => {
        this.db.prepare(`INSERT INTO faulted_trials SELECT * FROM trials WHERE ${where}`).run(trialId);
        this.db.prepare(`DELETE FROM trials WHERE ${where}`).run(trialId);
      })
      .immediate();
  }

  getTrial(trialId: string): StoredTrial | null {
    const row = this.db.prepare('SELECT * FROM trials WHERE trial_id = ?').get(trialId) as Row | undefined;
    return row ? decodeTrial(row, this.file) : null;
  }

  /** A trial already paid for with the same harness × task (name and content) × model × repeat, whatever campaign ran it. */
  findCachedTrial(key: CacheKey): StoredTrial | null {
    // Never an infrastructure-failed trial (a systemic fault is not a result; see faulted.ts).
    const row = this.db
      .prepare(
        `SELECT * FROM trials WHERE harness_id IS ? AND task = ? AND task_hash = ? AND model IS ? AND repeat = ?
        AND NOT (error IS NOT NULL AND ${SYSTEMIC_ERROR_SQL}) ORDER BY created_at LIMIT 1`,
      )
      .get(key.harnessId, key.task, key.taskHash, key.model, key.repeat) as Row | undefined;
    return row ? decodeTrial(row, this.file) : null;
  }

  listTrials(campaign: string, filter: { candidateId?: string; task?: string } = {}): StoredTrial[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM trials WHERE campaign = ? AND (? IS NULL OR candidate_id = ?) AND (? IS NULL OR task = ?)
         ORDER BY created_at, task, repeat`,
      )
      .all(
        campaign,
        filter.candidateId ?? null,
        filter.candidateId ?? null,
        filter.task ?? null,
        filter.task ?? null,
      ) as Row[];
    return rows.map((r) => decodeTrial(r, this.file));
  }

  /** Inserts or updates a candidate (a proposal is recorded first, its scores later); artifacts are kept if not given. */
  recordCandidate(rec: CandidateRecord, opts: RecordCandidateOptions): StoredCandidate {
    const harnessHash = opts.harnessFiles ? this.putHarness(opts.harnessFiles) : null;
    const diffHash = opts.diffHash ?? (opts.diff === undefined ? null : this.putArtifact(opts.diff));
    const now = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO candidates (id, campaign, parent_id, second_parent_id, generation, status, verdict, rationale, diff_hash,
           harness_hash, train_score, task_rewards_json, cost_usd, complexity, created_at, updated_at)
         VALUES (@id, @campaign, @parentId, @secondParentId, @generation, @status, @verdict, @rationale, @diffHash, @harnessHash,
           @meanReward, @taskRewards, @costUsd, @complexity, @now, @now)
         ON CONFLICT (id) DO UPDATE SET campaign = excluded.campaign, parent_id = excluded.parent_id,
           second_parent_id = excluded.second_parent_id,
           generation = excluded.generation, status = excluded.status, verdict = excluded.verdict,
           rationale = excluded.rationale, diff_hash = COALESCE(excluded.diff_hash, diff_hash),
           harness_hash = COALESCE(excluded.harness_hash, harness_hash), train_score = excluded.train_score,
           task_rewards_json = excluded.task_rewards_json, cost_usd = excluded.cost_usd,
           complexity = excluded.complexity, updated_at = excluded.updated_at`,
      )
      .run({
        id: rec.id,
        campaign: opts.campaign,
        parentId: rec.parentId,
        secondParentId: rec.secondParentId ?? null,
        generation: rec.generation,
        status: rec.status,
        verdict: rec.verdict,
        rationale: rec.rationale,
        diffHash,
        harnessHash,
        meanReward: rec.meanReward,
        taskRewards: JSON.stringify(rec.taskRewards),
        costUsd: rec.costUsd,
        complexity: rec.complexity,
        now,
      });
    return this.getCandidate(rec.id) as StoredCandidate;
  }

  getCandidate(id: string): StoredCandidate | null {
    const row = this.db.prepare('SELECT * FROM candidates WHERE id = ?').get(id) as Row | undefined;
    return row ? decodeCandidate(row, this.file) : null;
  }

  listCandidates(campaign: string): StoredCandidate[] {
    const rows = this.db
      .prepare('SELECT * FROM candidates WHERE campaign = ? ORDER BY generation, created_at, id')
      .all(campaign) as Row[];
    return rows.map((r) => decodeCandidate(r, this.file));
  }

  /** Records a meta-agent proposal once (keyed by proposal id). */
  recordProposal(p: ProposalInput, opts: { trajectoryJson?: string | object } = {}): { inserted: boolean } {
    const trajectoryHash = opts.trajectoryJson === undefined ? null : this.putArtifact(toText(opts.trajectoryJson));
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO proposals (proposal_id, campaign, generation, parent_id, candidate_id, status, error,
           rationale, usage_json, trajectory_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.proposalId,
        p.campaign,
        p.generation,
        p.parentId,
        p.candidateId,
        p.status,
        p.error,
        p.rationale,
        JSON.stringify(p.usage),
        trajectoryHash,
        this.now().toISOString(),
      );
    return { inserted: info.changes === 1 };
  }

  listProposals(campaign: string): StoredProposal[] {
    const rows = this.db
      .prepare('SELECT * FROM proposals WHERE campaign = ? ORDER BY generation, created_at, proposal_id')
      .all(campaign) as Row[];
    return rows.map((r) => decodeProposal(r, this.file));
  }

  /** Campaign names with any record in this store (a campaign folder normally holds exactly one). */
  listCampaigns(): string[] {
    const rows = this.db
      .prepare(
        'SELECT campaign FROM events UNION SELECT campaign FROM candidates UNION SELECT campaign FROM trials ORDER BY 1',
      )
      .all() as Row[];
    return rows.map((r) => str(r.campaign));
  }

  /**
   * A cheap fingerprint of a campaign's records: it changes whenever a trial, proposal, event or candidate
   * update is written, so a reader (the live report) can skip rebuilding when nothing changed.
   */
  campaignStamp(campaign: string): string {
    const row = this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM trials WHERE campaign = @c) AS trials, (SELECT COUNT(*) FROM proposals WHERE campaign = @c) AS proposals,
           (SELECT MAX(id) FROM events WHERE campaign = @c) AS event, (SELECT COUNT(*) || '/' || MAX(updated_at) FROM candidates WHERE campaign = @c) AS candidates`,
      )
      .get({ c: campaign }) as Row;
    return [row.trials, row.proposals, row.event ?? 0, row.candidates ?? ''].join(':');
  }

  /** Appends to the campaign's event log; returns the event id (monotonic). */
  appendEvent(campaign: string, kind: string, data: unknown = {}): number {
    const info = this.db
      .prepare('INSERT INTO events (campaign, kind, data_json, created_at) VALUES (?, ?, ?, ?)')
      .run(campaign, kind, JSON.stringify(data ?? null), this.now().toISOString());
    return Number(info.lastInsertRowid);
  }

  listEvents(campaign: string, filter: { kind?: string; afterId?: number } = {}): StoredEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM events WHERE campaign = ? AND (? IS NULL OR kind = ?) AND id > ? ORDER BY id')
      .all(campaign, filter.kind ?? null, filter.kind ?? null, filter.afterId ?? 0) as Row[];
    return rows.map(decodeEvent);
  }
}

/** Opens (creating and migrating if needed) the store in a campaign folder. */
export function openStore(dir: string, opts: { now?: () => Date } = {}): CampaignStore {
  return new CampaignStore(path.resolve(dir), opts.now);
}

/** One store per campaign folder per process (SQLite WAL: safe with several workers and processes). */
export function storeCache(): (dir: string) => CampaignStore {
  const stores = new Map<string, CampaignStore>();
  return (dir) => {
    let s = stores.get(dir);
    if (!s) stores.set(dir, (s = openStore(dir)));
    return s;
  };
}
