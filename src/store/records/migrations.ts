/**
 * The record schema as one ordered list of migrations for both back ends, numbered as the embedded SQLite
 * store's always were (`PRAGMA user_version`), so a store.sqlite written before opens here unchanged.
 * SQLite keeps its version in user_version; PostgreSQL in `autoagent_schema`. Each back end migrates under
 * a lock (BEGIN IMMEDIATE / an advisory transaction lock), so two workers starting at once migrate exactly
 * once. Append new migrations, never edit shipped ones.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { SYSTEMIC_ERROR_SQL } from '../faulted';
import type { RecordTables } from './tables';

export type Dialect = 'sqlite' | 'postgres';
type Tx = Transaction<RecordTables>;
// Migrations create tables that the typed schema does not know yet.
type AnyTx = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const real = (d: Dialect): 'real' | 'double precision' => (d === 'sqlite' ? 'real' : 'double precision');

async function trialsLike(db: AnyTx, d: Dialect, name: string): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('trial_id', 'text', (c) => c.primaryKey())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('candidate_id', 'text')
    .addColumn('harness_id', 'text')
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('task_hash', 'text', (c) => c.notNull())
    .addColumn('repeat', 'integer', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('reward', real(d), (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('usage_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('trajectory_hash', 'text')
    .addColumn('verifier_log_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

const MIGRATIONS: readonly ((db: AnyTx, d: Dialect) => Promise<void>)[] = [
  async (db, d) => {
    await trialsLike(db, d, 'trials');
    await db.schema
      .createIndex('trials_cache')
      .on('trials')
      .columns(['harness_id', 'task_hash', 'model', 'repeat'])
      .execute();
    await db.schema.createIndex('trials_campaign').on('trials').columns(['campaign', 'candidate_id']).execute();
    await db.schema
      .createTable('candidates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('campaign', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('diff_hash', 'text')
      .addColumn('harness_hash', 'text')
      .addColumn('train_score', real(d), (c) => c.notNull())
      .addColumn('task_rewards_json', 'text', (c) => c.notNull())
      .addColumn('cost_usd', real(d), (c) => c.notNull())
      .addColumn('complexity', real(d), (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('candidates_campaign').on('candidates').columns(['campaign', 'generation']).execute();
    await db.schema
      .createTable('proposals')
      .addColumn('proposal_id', 'text', (c) => c.primaryKey())
      .addColumn('campaign', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('candidate_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('rationale', 'text', (c) => c.notNull())
      .addColumn('usage_json', 'text', (c) => c.notNull())
      .addColumn('trajectory_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('proposals_campaign').on('proposals').columns(['campaign', 'generation']).execute();
    await db.schema
      .createTable('events')
      .addColumn('id', d === 'sqlite' ? 'integer' : 'bigserial', (c) =>
        d === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
      )
      .addColumn('campaign', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('data_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_campaign').on('events').columns(['campaign', 'id']).execute();
  },
  // 2: rows stored from systemic faults are not results: moved to faulted_trials (see ../faulted.ts).
  async (db, d) => {
    await trialsLike(db, d, 'faulted_trials');
    const where = sql.raw(`error IS NOT NULL AND ${SYSTEMIC_ERROR_SQL}`);
    await sql`INSERT INTO faulted_trials SELECT * FROM trials WHERE ${where}`.execute(db);
    await sql`DELETE FROM trials WHERE ${where}`.execute(db);
  },
  // 3: a merge proposal's candidate has two parents.
  async (db) => {
    await db.schema.alterTable('candidates').addColumn('second_parent_id', 'text').execute();
  },
  // 4: where a worker with no file of the client's finds a task, harness or program (../references.ts), and
  // the bundle of a trial folder's other files (build log, collected artifacts) when workers are elsewhere.
  async (db) => {
    await db.schema.alterTable('trials').addColumn('files_hash', 'text').execute();
    await db.schema.alterTable('faulted_trials').addColumn('files_hash', 'text').execute();
    await db.schema
      .createTable('bundles')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('bundles_pk', ['kind', 'key'])
      .execute();
  },
];

export const RECORD_SCHEMA_VERSION = MIGRATIONS.length;

class SchemaTooNewError extends Error {
  constructor(version: number, where: string) {
    super(
      `${where}: schema version ${version} is newer than this autoagent's (${RECORD_SCHEMA_VERSION}); upgrade autoagent`,
    );
    this.name = 'SchemaTooNewError';
  }
}

async function versionOf(tx: Tx, d: Dialect): Promise<number> {
  if (d === 'sqlite') {
    const r = await sql<{ user_version: number }>`PRAGMA user_version`.execute(tx);
    return Number(r.rows[0]?.user_version ?? 0);
  }
  await sql`CREATE TABLE IF NOT EXISTS autoagent_schema (version integer NOT NULL)`.execute(tx);
  const row = await tx.selectFrom('autoagent_schema').select('version').executeTakeFirst();
  return row ? Number(row.version) : 0;
}

async function setVersion(tx: Tx, d: Dialect, v: number): Promise<void> {
  if (d === 'sqlite') {
    await sql.raw(`PRAGMA user_version = ${v}`).execute(tx);
    return;
  }
  await tx.deleteFrom('autoagent_schema').execute();
  await tx.insertInto('autoagent_schema').values({ version: v }).execute();
}

/** Brings the records up to RECORD_SCHEMA_VERSION; refuses records written by a newer version. */
export async function migrateRecords(db: Kysely<RecordTables>, d: Dialect, where: string): Promise<void> {
  const run = async (tx: Tx): Promise<void> => {
    if (d === 'postgres') await sql`SELECT pg_advisory_xact_lock(7445001)`.execute(tx);
    const version = await versionOf(tx, d);
    if (version > RECORD_SCHEMA_VERSION) throw new SchemaTooNewError(version, where);
    for (let v = version; v < RECORD_SCHEMA_VERSION; v++)
      await (MIGRATIONS[v] as (db: AnyTx, d: Dialect) => Promise<void>)(tx, d);
    if (version !== RECORD_SCHEMA_VERSION) await setVersion(tx, d, RECORD_SCHEMA_VERSION);
  };
  // SQLite: BEGIN IMMEDIATE takes the write lock first, so a second opener waits instead of racing.
  if (d === 'sqlite')
    await db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        await run(conn as unknown as Tx);
        await sql`COMMIT`.execute(conn);
      } catch (err) {
        await sql`ROLLBACK`.execute(conn);
        throw err;
      }
    });
  else await db.transaction().execute(run);
}
