/**
 * The real PostgreSQL and S3-compatible servers scripts/setup-services.sh starts (.tools/services.env), for
 * tests that run campaigns on them: a database of the test's own (dropped afterwards) and the variables a
 * user sets on every machine. Fails loudly when the services are not there.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface SharedStores {
  /** AUTOAGENT_STORE, AUTOAGENT_ARTIFACTS and the standard AWS_* variables of the S3 endpoint. */
  env: Record<string, string>;
  pgUrl: string;
  drop(): Promise<void>;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: run the tests through \`npm test\` (scripts/test.sh sources .tools/services.env from scripts/setup-services.sh)`,
    );
  return v;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database and a fresh bucket prefix, named after `tag`. */
export async function sharedStores(tag: string): Promise<SharedStores> {
  const adminUrl = required('AUTOAGENT_TEST_PG_URL');
  const endpoint = required('AUTOAGENT_TEST_S3_ENDPOINT');
  const bucket = required('AUTOAGENT_TEST_S3_BUCKET');
  const id = randomBytes(4).toString('hex');
  const db = `aa_${tag}_${id}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${db}`));
  const u = new URL(adminUrl);
  u.pathname = `/${db}`;
  const pgUrl = u.toString();
  return {
    pgUrl,
    env: {
      AUTOAGENT_STORE: pgUrl,
      AUTOAGENT_ARTIFACTS: `s3://${bucket}/${tag}/${id}`,
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: required('AWS_ACCESS_KEY_ID'),
      AWS_SECRET_ACCESS_KEY: required('AWS_SECRET_ACCESS_KEY'),
    },
    drop: () => admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Rows of one query against a store's database. */
export async function queryRows<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  return admin(url, async (c) => (await c.query<R>(text, values)).rows);
}
