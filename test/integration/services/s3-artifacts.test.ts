/**
 * The s3 artifact store against a real S3-compatible server (SeaweedFS, started by
 * scripts/setup-services.sh; AUTOAGENT_TEST_S3_ENDPOINT), configured only the standard way: AWS_* variables
 * and AUTOAGENT_ARTIFACTS. Fails loudly when the server is not there.
 */
import { DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, promises as fs, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fetchFolderBundle, putFolderBundle } from '../../../src/artifacts/bundles';
import { artifactStoreFromEnv } from '../../../src/artifacts/from-url';
import { s3ClientFromEnv } from '../../../src/artifacts/s3';
import { sha256 } from '../../../src/store/artifacts';

const endpoint = process.env.AUTOAGENT_TEST_S3_ENDPOINT;
// The bucket set-up made and proved writable, under a fresh prefix (why not a new bucket: services.test.ts).
const bucket = process.env.AUTOAGENT_TEST_S3_BUCKET ?? '';
const prefix = `campaigns/${randomBytes(4).toString('hex')}`;
const env = (): Record<string, string | undefined> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
  AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
  AUTOAGENT_ARTIFACTS: `s3://${bucket}/${prefix}`,
});

beforeAll(() => {
  if (!endpoint || !bucket)
    throw new Error(
      'AUTOAGENT_TEST_S3_ENDPOINT or AUTOAGENT_TEST_S3_BUCKET is not set: run the tests through `npm test` (scripts/test.sh sources .tools/services.env)',
    );
});

test('blobs: content-addressed, stored once, verified on read; a missing one is ArtifactNotFoundError', async () => {
  const store = artifactStoreFromEnv('/unused', env());
  expect(store.url).toBe(`s3://${bucket}/${prefix}`);
  const big = randomBytes(3 * 1024 * 1024);
  const h = await store.put(big);
  expect(h).toBe(sha256(big));
  expect(await store.put(big)).toBe(h);
  expect((await store.get(h)).equals(big)).toBe(true);
  expect(await store.has(h)).toBe(true);
  expect(await store.has(sha256('nothing'))).toBe(false);
  await expect(store.get(sha256('nothing'))).rejects.toThrow(/not found|ArtifactNotFound/i);
});

test('a blob overwritten behind our back is caught on read', async () => {
  const store = artifactStoreFromEnv('/unused', env());
  const h = await store.put('the real trajectory');
  await s3ClientFromEnv(env()).send(
    new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/sha256/${h.slice(0, 2)}/${h}`, Body: 'forged' }),
  );
  await expect(store.get(h)).rejects.toThrow(/holds other bytes/);
});

test("a task folder travels as a bundle: uploaded by one machine, fetched into another's cache", async () => {
  const src = mkdtempSync(path.join(os.tmpdir(), 'aa-s3-task-'));
  mkdirSync(path.join(src, 'tests'));
  writeFileSync(path.join(src, 'task.toml'), 'version = "1.0"\n');
  writeFileSync(path.join(src, 'tests', 'test.sh'), 'echo 1 > /logs/verifier/reward.txt\n', { mode: 0o755 });
  const h = await putFolderBundle(artifactStoreFromEnv('/unused', env()), src);
  const cache = mkdtempSync(path.join(os.tmpdir(), 'aa-s3-cache-'));
  const dir = await fetchFolderBundle(artifactStoreFromEnv('/unused', env()), h, cache);
  expect(await fs.readFile(path.join(dir, 'tests', 'test.sh'), 'utf8')).toContain('reward.txt');
});

test('wrong credentials are a clear error naming the store, not a result', async () => {
  const store = artifactStoreFromEnv('/unused', { ...env(), AWS_SECRET_ACCESS_KEY: 'wrong-secret' });
  await expect(store.put('x')).rejects.toThrow(new RegExp(`^s3://${bucket}/${prefix}: S3 (head|put) `));
});

test('a bucket that does not exist yet is created on the first write (then removed here)', async () => {
  const fresh = `aa-new-${randomBytes(4).toString('hex')}`;
  const e = { ...env(), AUTOAGENT_ARTIFACTS: `s3://${fresh}/p` };
  const store = artifactStoreFromEnv('/unused', e);
  const h = await store.put('first blob in a new bucket');
  expect((await store.get(h)).toString()).toBe('first blob in a new bucket');
  const client = s3ClientFromEnv(e);
  await client.send(new DeleteObjectCommand({ Bucket: fresh, Key: `p/sha256/${h.slice(0, 2)}/${h}` }));
  await client.send(new DeleteBucketCommand({ Bucket: fresh }));
});
