/**
 * The record store: trials, candidates, proposals and events, in SQLite (embedded) or PostgreSQL (many
 * machines), through one Kysely code path. Records hold artifact hashes, never contents (the artifact store,
 * src/artifacts, has those). Trials are recorded exactly once (ON CONFLICT DO NOTHING on the deterministic
 * trial id), so a retried activity or a second worker can never double-count or double-pay; the cache is
 * keyed as in the SQLite store (harness × task name × task hash × model × repeat).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SelectQueryBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import type { CandidateRecord } from '../../search/types';
import type { TrialResult } from '../../trial/types';
import { StoreError } from '../errors';
import { SYSTEMIC_ERROR_SQL } from '../faulted';
import type { ProposalInput, Row, StoredCandidate, StoredEvent, StoredProposal, StoredTrial } from '../rows';
import { decodeCandidate, decodeEvent, decodeProposal, decodeTrial } from '../rows';
import type { CacheKey } from '../store';
import { migrateRecords, type Dialect } from './migrations';
import type { RecordTables } from './tables';
import { redactUrl, type StoreLocation } from './url';

export interface TrialRefs {
  campaign: string;
  candidateId: string | null;
  taskHash: string;
  trajectoryHash?: string | null;
  verifierLogHash?: string | null;
  /** The trial folder's other files (build.log, artifacts/, Harbor's records) as one bundle, or null. */
  filesHash?: string | null;
}

const systemic = sql<boolean>`(${sql.raw(`error IS NOT NULL AND ${SYSTEMIC_ERROR_SQL}`)})`;

export class RecordStore {
  private constructor(
    private readonly db: Kysely<RecordTables>,
    readonly dialect: Dialect,
    /** Where, for messages (a Postgres URL without its password). */
    readonly where: string,
    private readonly now: () => Date,
  ) {}

  static async open(loc: StoreLocation, opts: { now?: () => Date; poolSize?: number } = {}): Promise<RecordStore> {
    const where = loc.kind === 'sqlite' ? loc.file : redactUrl(loc.url);
    let db: Kysely<RecordTables>;
    try {
      if (loc.kind === 'sqlite') {
        mkdirSync(path.dirname(loc.file), { recursive: true });
        const file = new Database(loc.file);
        file.pragma('busy_timeout = 10000');
        file.pragma('journal_mode = WAL');
        file.pragma('synchronous = NORMAL');
        db = new Kysely<RecordTables>({ dialect: new SqliteDialect({ database: file }) });
      } else {
        const pool = new pg.Pool({ connectionString: loc.url, max: opts.poolSize ?? 4 });
        // An idle connection the server ends (a restart, a failover) is dropped from the pool and the next
        // query opens a new one; unhandled, the pool's 'error' event would crash the worker.
        pool.on('error', () => undefined);
        db = new Kysely<RecordTables>({ dialect: new PostgresDialect({ pool }) });
      }
      await migrateRecords(db, loc.kind, where);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot open the record store: ${(err as Error).message}`, where);
    }
    return new RecordStore(db, loc.kind, where, opts.now ?? (() => new Date()));
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  /** Records a trial once; a second call with the same trial id changes nothing and returns inserted: false. */
  async recordTrial(result: TrialResult, refs: TrialRefs): Promise<{ inserted: boolean; trialId: string }> {
    return this.writeTransaction(async (tx) => {
      // A row an older worker stored for a systemic fault must not keep this id: move it aside (kept, not lost).
      const faulted = tx.selectFrom('trials').selectAll().where('trial_id', '=', result.trialId).where(systemic);
      await tx
        .insertInto('faulted_trials')
        .expression(faulted)
        .onConflict((oc) => oc.doNothing())
        .execute();
      await tx.deleteFrom('trials').where('trial_id', '=', result.trialId).where(systemic).execute();
      const res = await tx
        .insertInto('trials')
        .values({
          trial_id: result.trialId,
          campaign: refs.campaign,
          candidate_id: refs.candidateId,
          harness_id: result.harnessId,
          task: result.task,
          task_hash: refs.taskHash,
          repeat: result.repeat,
          model: result.model,
          reward: result.reward,
          error: result.error,
          usage_json: JSON.stringify(result.usage),
          result_json: JSON.stringify(result),
          trajectory_hash: refs.trajectoryHash ?? null,
          verifier_log_hash: refs.verifierLogHash ?? null,
          files_hash: refs.filesHash ?? null,
          created_at: this.now().toISOString(),
        })
        .onConflict((oc) => oc.column('trial_id').doNothing())
        .executeTakeFirst();
      return { inserted: Number(res.numInsertedOrUpdatedRows ?? 0) === 1, trialId: result.trialId };
    });
  }

  /**
   * A read-then-write transaction. SQLite's default deferred BEGIN lets two writers both read, then deadlock
   * on the upgrade (SQLITE_BUSY at once, whatever busy_timeout says), so it takes the write lock first.
   */
  private async writeTransaction<T>(fn: (tx: Transaction<RecordTables>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().execute(fn);
    return this.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const out = await fn(conn as unknown as Transaction<RecordTables>);
        await sql`COMMIT`.execute(conn);
        return out;
      } catch (err) {
        await sql`ROLLBACK`.execute(conn);
        throw err;
      }
    });
  }

  async getTrial(trialId: string): Promise<StoredTrial | null> {
    const row = await this.db.selectFrom('trials').selectAll().where('trial_id', '=', trialId).executeTakeFirst();
    return row ? decodeTrial(row as unknown as Row, this.where) : null;
  }

  /** A trial already paid for with the same harness × task (name and content) × model × repeat; never a faulted one. */
  async findCachedTrial(key: CacheKey): Promise<StoredTrial | null> {
    const row = await this.db
      .selectFrom('trials')
      .selectAll()
      .where((eb) => (key.harnessId === null ? eb('harness_id', 'is', null) : eb('harness_id', '=', key.harnessId)))
      .where('task', '=', key.task)
      .where('task_hash', '=', key.taskHash)
      .where((eb) => (key.model === null ? eb('model', 'is', null) : eb('model', '=', key.model)))
      .where('repeat', '=', key.repeat)
      .where(sql<boolean>`NOT ${systemic}`)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return row ? decodeTrial(row as unknown as Row, this.where) : null;
  }

  async listTrials(campaign: string, filter: { candidateId?: string; task?: string } = {}): Promise<StoredTrial[]> {
    let q = this.db.selectFrom('trials').selectAll().where('campaign', '=', campaign);
    if (filter.candidateId !== undefined) q = q.where('candidate_id', '=', filter.candidateId);
    if (filter.task !== undefined) q = q.where('task', '=', filter.task);
    const rows = await q.orderBy('created_at').orderBy('task').orderBy('repeat').execute();
    return rows.map((r) => decodeTrial(r as unknown as Row, this.where));
  }

  /** Inserts or updates a candidate (recorded when proposed, scored later); artifact hashes are kept if not given. */
  async recordCandidate(
    rec: CandidateRecord,
    refs: { campaign: string; harnessHash?: string | null; diffHash?: string | null },
  ): Promise<StoredCandidate> {
    const now = this.now().toISOString();
    const values = {
      id: rec.id,
      campaign: refs.campaign,
      parent_id: rec.parentId,
      second_parent_id: rec.secondParentId ?? null,
      generation: rec.generation,
      status: rec.status,
      verdict: rec.verdict,
      rationale: rec.rationale,
      diff_hash: refs.diffHash ?? null,
      harness_hash: refs.harnessHash ?? null,
      train_score: rec.meanReward,
      task_rewards_json: JSON.stringify(rec.taskRewards),
      cost_usd: rec.costUsd,
      complexity: rec.complexity,
      created_at: now,
      updated_at: now,
    };
    await this.db
      .insertInto('candidates')
      .values(values)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          campaign: eb.ref('excluded.campaign'),
          parent_id: eb.ref('excluded.parent_id'),
          second_parent_id: eb.ref('excluded.second_parent_id'),
          generation: eb.ref('excluded.generation'),
          status: eb.ref('excluded.status'),
          verdict: eb.ref('excluded.verdict'),
          rationale: eb.ref('excluded.rationale'),
          diff_hash: eb.fn.coalesce('excluded.diff_hash', 'candidates.diff_hash'),
          harness_hash: eb.fn.coalesce('excluded.harness_hash', 'candidates.harness_hash'),
          train_score: eb.ref('excluded.train_score'),
          task_rewards_json: eb.ref('excluded.task_rewards_json'),
          cost_usd: eb.ref('excluded.cost_usd'),
          complexity: eb.ref('excluded.complexity'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
    return (await this.getCandidate(rec.id)) as StoredCandidate;
  }

  async getCandidate(id: string): Promise<StoredCandidate | null> {
    const row = await this.db.selectFrom('candidates').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? decodeCandidate(row as unknown as Row, this.where) : null;
  }

  async listCandidates(campaign: string): Promise<StoredCandidate[]> {
    const rows = await this.db
      .selectFrom('candidates')
      .selectAll()
      .where('campaign', '=', campaign)
      .orderBy('generation')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => decodeCandidate(r as unknown as Row, this.where));
  }

  /** Records a meta-agent proposal once (keyed by proposal id). */
  async recordProposal(
    p: ProposalInput,
    refs: { trajectoryHash?: string | null } = {},
  ): Promise<{ inserted: boolean }> {
    const res = await this.db
      .insertInto('proposals')
      .values({
        proposal_id: p.proposalId,
        campaign: p.campaign,
        generation: p.generation,
        parent_id: p.parentId,
        candidate_id: p.candidateId,
        status: p.status,
        error: p.error,
        rationale: p.rationale,
        usage_json: JSON.stringify(p.usage),
        trajectory_hash: refs.trajectoryHash ?? null,
        created_at: this.now().toISOString(),
      })
      .onConflict((oc) => oc.column('proposal_id').doNothing())
      .executeTakeFirst();
    return { inserted: Number(res.numInsertedOrUpdatedRows ?? 0) === 1 };
  }

  async listProposals(campaign: string): Promise<StoredProposal[]> {
    const rows = await this.db
      .selectFrom('proposals')
      .selectAll()
      .where('campaign', '=', campaign)
      .orderBy('generation')
      .orderBy('created_at')
      .orderBy('proposal_id')
      .execute();
    return rows.map((r) => decodeProposal(r as unknown as Row, this.where));
  }

  /** Campaign names with any record here. */
  async listCampaigns(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('events')
      .select('campaign')
      .union(this.db.selectFrom('candidates').select('campaign'))
      .union(this.db.selectFrom('trials').select('campaign'))
      .orderBy('campaign')
      .execute();
    return rows.map((r) => String(r.campaign));
  }

  /** A fingerprint that changes whenever a record of the campaign is written (the live report skips rebuilding otherwise). */
  async campaignStamp(campaign: string): Promise<string> {
    const count = (q: SelectQueryBuilder<RecordTables, 'trials' | 'proposals', object>): Promise<number> =>
      q
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => Number((r as { n: unknown }).n));
    const [trials, proposals, event, candidates] = await Promise.all([
      count(this.db.selectFrom('trials').where('campaign', '=', campaign)),
      count(this.db.selectFrom('proposals').where('campaign', '=', campaign)),
      this.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('id').as('m'))
        .where('campaign', '=', campaign)
        .executeTakeFirst(),
      this.db
        .selectFrom('candidates')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('u')])
        .where('campaign', '=', campaign)
        .executeTakeFirst(),
    ]);
    const c = candidates as { n: unknown; u: unknown } | undefined;
    return [trials, proposals, Number(event?.m ?? 0), c && Number(c.n) > 0 ? `${Number(c.n)}/${String(c.u)}` : ''].join(
      ':',
    );
  }

  /**
   * Names the artifact that holds `kind`/`key` (see src/store/references.ts). A content key (a task's
   * hash, a harness id) keeps its first name; `replace` lets a later one win (a client file by its path).
   */
  async putBundleRef(kind: string, key: string, hash: string, opts: { replace?: boolean } = {}): Promise<void> {
    const now = this.now().toISOString();
    await this.db
      .insertInto('bundles')
      .values({ kind, key, hash, created_at: now })
      .onConflict((oc) =>
        opts.replace
          ? oc.columns(['kind', 'key']).doUpdateSet({ hash, created_at: now })
          : oc.columns(['kind', 'key']).doNothing(),
      )
      .execute();
  }

  async getBundleRef(kind: string, key: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('bundles')
      .select('hash')
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.hash ?? null;
  }

  /** Appends to the campaign's event log; returns the event id (monotonic). */
  async appendEvent(campaign: string, kind: string, data: unknown = {}): Promise<number> {
    const row = await this.db
      .insertInto('events')
      .values({ campaign, kind, data_json: JSON.stringify(data ?? null), created_at: this.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async listEvents(campaign: string, filter: { kind?: string; afterId?: number } = {}): Promise<StoredEvent[]> {
    let q = this.db
      .selectFrom('events')
      .selectAll()
      .where('campaign', '=', campaign)
      .where('id', '>', filter.afterId ?? 0);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    const rows = await q.orderBy('id').execute();
    return rows.map((r) => decodeEvent(r as unknown as Row));
  }
}
