/**
 * Folder bundles: a task or harness folder as one content-addressed blob (a tar with sorted entries, zero
 * mtimes and owners, so equal folders give equal hashes on every machine), and its way back: a worker
 * fetches a bundle by hash into a local cache on first use and reuses it after. Extraction refuses entries
 * that would land outside the folder, and makes symlinks last so no file is ever written through one.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { dirEntries, packEntries } from '../sandbox/tar';
import type { ArtifactStore } from './port';

/** The folder as one bundle; `exclude` names files (relative paths) left out, e.g. ones stored on their own. */
export async function putFolderBundle(
  store: ArtifactStore,
  dir: string,
  opts: { exclude?: readonly string[] } = {},
): Promise<string> {
  const skip = new Set(opts.exclude ?? []);
  return store.put(await packEntries((await dirEntries(dir, '')).filter((e) => !skip.has(e.name))));
}

class BundleError extends Error {
  constructor(
    readonly hash: string,
    problem: string,
  ) {
    super(`bundle ${hash}: ${problem}`);
    this.name = 'BundleError';
  }
}

/** `<cacheRoot>/<hash>`, fetched and unpacked once (atomically: a half-unpacked folder is never seen). */
export async function fetchFolderBundle(store: ArtifactStore, hash: string, cacheRoot: string): Promise<string> {
  const target = path.join(cacheRoot, hash);
  if (await exists(target)) return target;
  const bytes = await store.get(hash);
  await fs.mkdir(cacheRoot, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await unpack(bytes, tmp, hash);
    await fs.rename(tmp, target).catch(async (err: NodeJS.ErrnoException) => {
      // Another process unpacked the same bundle first: theirs is identical.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return target;
}

async function unpack(bytes: Buffer, dest: string, hash: string): Promise<void> {
  await fs.mkdir(dest, { recursive: true });
  const links: { file: string; linkname: string }[] = [];
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const file = path.resolve(dest, header.name);
      if (!file.startsWith(dest + path.sep)) {
        stream.resume();
        reject(new BundleError(hash, `entry "${header.name}" escapes the folder`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => {
        chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        void (async () => {
          if (header.type === 'directory') await fs.mkdir(file, { recursive: true, mode: header.mode ?? 0o755 });
          else if (header.type === 'symlink') links.push({ file, linkname: header.linkname ?? '' });
          else if (header.type === 'file') {
            await fs.mkdir(path.dirname(file), { recursive: true });
            await fs.writeFile(file, Buffer.concat(chunks), { mode: header.mode ?? 0o644, flag: 'wx' });
          }
        })().then(() => next(), reject);
      });
      stream.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([bytes]).pipe(extract);
  await done;
  for (const l of links) await fs.symlink(l.linkname, l.file);
}

const exists = (p: string): Promise<boolean> =>
  fs.stat(p).then(
    () => true,
    () => false,
  );
