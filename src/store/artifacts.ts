/**
 * Content-addressed artifact store: `<dir>/artifacts/<sha256[0:2]>/<sha256>`. Write-once: a blob is
 * written to a temp file in the same folder and renamed into place (atomic on POSIX), so readers never see
 * a partial file and concurrent writers of the same bytes are harmless. The local artifact store
 * (src/artifacts/local.ts) is built on these.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ArtifactNotFoundError, StoreError } from './errors';
import { artifactFile } from '../campaign/layout';

const HASH = /^[0-9a-f]{64}$/;

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

function artifactPath(root: string, hash: string): string {
  if (!HASH.test(hash)) throw new ArtifactNotFoundError(hash, root);
  return artifactFile(root, hash);
}

/** Stores bytes (a string is stored as UTF-8) and returns their sha256 hex. Idempotent. */
export function putArtifact(root: string, data: Buffer | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const hash = sha256(bytes);
  const file = artifactPath(root, hash);
  if (fs.existsSync(file)) return hash;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    fs.writeFileSync(tmp, bytes, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new StoreError(`cannot write artifact: ${(err as Error).message}`, file);
  }
  return hash;
}

export function getArtifact(root: string, hash: string): Buffer {
  const file = artifactPath(root, hash);
  if (!fs.existsSync(file)) throw new ArtifactNotFoundError(hash, file);
  return fs.readFileSync(file);
}
