/**
 * The many-machine tests' services are real and reachable from Node: the PostgreSQL cluster and SeaweedFS's
 * S3 API that scripts/setup-services.sh starts on loopback, whose settings scripts/test.sh sources from
 * .tools/services.env. Driven through the real drivers the code uses (`pg`, Kysely over it, the AWS SDK v3
 * S3 client). A missing variable or a service that does not answer FAILS: nothing here is skipped.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool } from 'pg';

const HOW =
  'run `bash scripts/setup-services.sh`, then `set -a; . .tools/services.env; set +a` (scripts/test.sh does both)';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${HOW}`);
  return value;
}

describe('PostgreSQL (AUTOAGENT_TEST_PG_URL)', () => {
  let url: string;
  let client: Client;

  beforeAll(async () => {
    url = requireEnv('AUTOAGENT_TEST_PG_URL');
    client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect().catch((e: Error) => {
      throw new Error(`cannot connect to ${redact(url)}: ${e.message}; ${HOW}`);
    });
  });
  afterAll(async () => {
    await client?.end();
  });

  test('answers as a real server: version, role and database from the URL', async () => {
    const u = new URL(url);
    const { rows } = await client.query<{ user: string; db: string; version: number }>(
      "SELECT current_user AS user, current_database() AS db, current_setting('server_version_num')::int AS version",
    );
    expect(rows).toEqual([
      { user: decodeURIComponent(u.username), db: u.pathname.slice(1), version: expect.any(Number) },
    ]);
    expect(rows[0]!.version).toBeGreaterThanOrEqual(120000);
  });

  test('stores and reads rows with parameters, and enforces a unique key', async () => {
    await client.query('CREATE TEMP TABLE services_probe (id text PRIMARY KEY, reward double precision NOT NULL)');
    await client.query('INSERT INTO services_probe VALUES ($1, $2), ($3, $4)', ['a', 1, 'b', 0.5]);
    const { rows } = await client.query('SELECT id, reward FROM services_probe ORDER BY id');
    expect(rows).toEqual([
      { id: 'a', reward: 1 },
      { id: 'b', reward: 0.5 },
    ]);
    await expect(client.query('INSERT INTO services_probe VALUES ($1, $2)', ['a', 0])).rejects.toMatchObject({
      code: '23505',
    });
  });

  test('Kysely runs over pg against it', async () => {
    const db = new Kysely<Record<string, never>>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }),
    });
    try {
      const { rows } = await sql<{ sum: number }>`SELECT ${2}::int + ${3}::int AS sum`.execute(db);
      expect(rows).toEqual([{ sum: 5 }]);
    } finally {
      await db.destroy();
    }
  });

  test('checks passwords over TCP: a wrong one is refused', async () => {
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const other = new Client({ connectionString: wrong.toString(), connectionTimeoutMillis: 10_000 });
    await expect(other.connect()).rejects.toThrow(/password authentication failed/);
    await other.end().catch(() => undefined);
  });
});

describe('S3-compatible store (AUTOAGENT_TEST_S3_ENDPOINT + AWS_*)', () => {
  let endpoint: string;
  let s3: S3Client;
  // Objects go to the bucket set-up made and proved writable (AUTOAGENT_TEST_S3_BUCKET), under a fresh prefix:
  // SeaweedFS gives every new bucket its own collection, whose first write waits for volume growth — seconds
  // on a busy machine, longer than the SDK's retries — so a put into a bucket made here would test the
  // machine's speed, not the store.
  let bucket: string;
  const prefix = `services-test/${randomUUID().slice(0, 8)}`;
  const key = `${prefix}/runs/probe/trajectory.json`;
  const body = Buffer.from(JSON.stringify({ probe: randomUUID(), steps: [1, 2, 3] }));
  const emptyBucket = `aa-services-${randomUUID().slice(0, 8)}`;

  const client = (secret?: string) =>
    new S3Client({
      endpoint,
      forcePathStyle: true,
      region: requireEnv('AWS_REGION'),
      maxAttempts: 2,
      credentials: {
        accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
        secretAccessKey: secret ?? requireEnv('AWS_SECRET_ACCESS_KEY'),
      },
    });

  beforeAll(() => {
    endpoint = requireEnv('AUTOAGENT_TEST_S3_ENDPOINT');
    bucket = requireEnv('AUTOAGENT_TEST_S3_BUCKET');
    s3 = client();
  });
  afterAll(async () => {
    await s3?.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    await s3?.send(new DeleteBucketCommand({ Bucket: emptyBucket })).catch(() => undefined);
    s3?.destroy();
  });

  test('creates, finds and deletes a bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: emptyBucket })).catch((e: Error) => {
      throw new Error(`cannot create bucket ${emptyBucket} at ${endpoint}: ${e.name}: ${e.message}; ${HOW}`);
    });
    await expect(s3.send(new HeadBucketCommand({ Bucket: emptyBucket }))).resolves.toBeDefined();
    await s3.send(new DeleteBucketCommand({ Bucket: emptyBucket }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: emptyBucket }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  test('puts, gets, heads and lists an object', async () => {
    await s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }))
      .catch((e: Error) => {
        throw new Error(`cannot put into bucket ${bucket} at ${endpoint}: ${e.name}: ${e.message}; ${HOW}`);
      });

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(body.length);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/runs/` }));
    expect(listed.Contents?.map((o) => ({ key: o.Key, size: o.Size }))).toEqual([{ key, size: body.length }]);
  });

  test('a missing object is NoSuchKey, not an empty body', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/absent` }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });

  test('checks signatures: a wrong secret is refused', async () => {
    const bad = client('not-the-secret');
    try {
      await expect(bad.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      bad.destroy();
    }
  });
});

/** The URL without its password, for messages. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
