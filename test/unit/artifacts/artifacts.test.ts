import { mkdtempSync, promises as fs, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar-stream';
import { fetchFolderBundle, putFolderBundle } from '../../../src/artifacts/bundles';
import { artifactStoreFromEnv, parseArtifactsUrl } from '../../../src/artifacts/from-url';
import { LocalArtifactStore } from '../../../src/artifacts/local';
import { s3ClientFromEnv } from '../../../src/artifacts/s3';
import { sha256 } from '../../../src/store/artifacts';

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'aa-art-'));

function taskFolder(root: string): string {
  const dir = path.join(root, 'task');
  mkdirSync(path.join(dir, 'tests'), { recursive: true });
  writeFileSync(path.join(dir, 'task.toml'), 'version = "1.0"\n');
  writeFileSync(path.join(dir, 'tests', 'test.sh'), 'echo 1\n', { mode: 0o755 });
  symlinkSync('tests/test.sh', path.join(dir, 'link.sh'));
  return dir;
}

test('AUTOAGENT_ARTIFACTS: file: and s3:// parse; anything else names the variable', () => {
  expect(parseArtifactsUrl('file:/data/x')).toEqual({ kind: 'file', root: '/data/x' });
  expect(parseArtifactsUrl('s3://my-bucket/camp/a/')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: 'camp/a' });
  expect(parseArtifactsUrl('s3://my-bucket')).toEqual({ kind: 's3', bucket: 'my-bucket', prefix: '' });
  expect(() => parseArtifactsUrl('gs://b/x')).toThrow(/AUTOAGENT_ARTIFACTS="gs:\/\/b\/x": unknown scheme/);
  expect(() => parseArtifactsUrl('s3://Bad_Bucket/x')).toThrow(/not an S3 bucket name/);
  expect(artifactStoreFromEnv('/c', {}).url).toBe('file:/c/artifacts');
  expect(
    artifactStoreFromEnv('/c', { AUTOAGENT_ARTIFACTS: 's3://b-1/p', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }).url,
  ).toBe('s3://b-1/p');
});

test('AWS_MAX_ATTEMPTS reaches the S3 client; a bad value names the variable', async () => {
  expect(await s3ClientFromEnv({ AWS_MAX_ATTEMPTS: '7' }).config.maxAttempts()).toBe(7);
  expect(() => s3ClientFromEnv({ AWS_MAX_ATTEMPTS: 'lots' })).toThrow(
    /AWS_MAX_ATTEMPTS: expected a whole number >= 1, got "lots"/,
  );
  expect(() => s3ClientFromEnv({ AWS_MAX_ATTEMPTS: '0' })).toThrow(/AWS_MAX_ATTEMPTS/);
});

test('local store: content-addressed, idempotent, verified on read, in the campaign folder layout', async () => {
  const root = tmp();
  const store = new LocalArtifactStore(root);
  const h = await store.put('hello');
  expect(h).toBe(sha256('hello'));
  expect(await store.put(Buffer.from('hello'))).toBe(h);
  expect((await store.get(h)).toString()).toBe('hello');
  expect(await store.has(h)).toBe(true);
  expect(await store.has(sha256('other'))).toBe(false);
  await fs.writeFile(path.join(root, 'artifacts', h.slice(0, 2), h), 'tampered');
  await expect(store.get(h)).rejects.toThrow(/holds other bytes/);
  await expect(store.get(sha256('absent'))).rejects.toThrow();
});

test('folder bundles: equal folders give equal hashes anywhere; a fetch restores files, modes and links, once', async () => {
  const a = taskFolder(tmp());
  const b = taskFolder(tmp());
  const store = new LocalArtifactStore(tmp());
  const ha = await putFolderBundle(store, a);
  expect(await putFolderBundle(store, b)).toBe(ha);
  const cache = tmp();
  const [x, y] = await Promise.all([fetchFolderBundle(store, ha, cache), fetchFolderBundle(store, ha, cache)]);
  expect(x).toBe(path.join(cache, ha));
  expect(y).toBe(x);
  expect(await fs.readFile(path.join(x, 'tests', 'test.sh'), 'utf8')).toBe('echo 1\n');
  expect((await fs.stat(path.join(x, 'tests', 'test.sh'))).mode & 0o777).toBe(0o755);
  expect(await fs.readlink(path.join(x, 'link.sh'))).toBe('tests/test.sh');
  expect((await fs.readdir(cache)).sort()).toEqual([ha]); // no temp folder left
});

test('a bundle with an entry escaping its folder is refused', async () => {
  const pack = tar.pack();
  pack.entry({ name: '../evil.txt', size: 4 }, 'evil');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  const store = new LocalArtifactStore(tmp());
  const h = await store.put(Buffer.concat(chunks));
  const cache = tmp();
  await expect(fetchFolderBundle(store, h, path.join(cache, 'c'))).rejects.toThrow(/escapes the folder/);
  await expect(fs.stat(path.join(cache, 'evil.txt'))).rejects.toThrow();
});
