/**
 * Tar helpers for the Docker archive API (putArchive / getArchive / build contexts), over tar-stream.
 * Entries are named relative to `/` without a leading slash; the daemon creates missing parent folders, so
 * we never emit entries for existing parents (that would reset e.g. /tmp's mode).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { FileTooLargeError } from './errors';

export interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  content?: Buffer;
  linkname?: string;
}

/** Every entry under `dir`, sorted by relative path (stable order for hashing and builds). */
export async function listDir(
  dir: string,
): Promise<{ rel: string; abs: string; type: TarEntry['type']; mode: number }[]> {
  const out: { rel: string; abs: string; type: TarEntry['type']; mode: number }[] = [];
  async function walk(rel: string): Promise<void> {
    const names = (await fs.readdir(path.join(dir, rel))).sort();
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(dir, r);
      const st = await fs.lstat(abs);
      const mode = st.mode & 0o7777;
      if (st.isSymbolicLink()) out.push({ rel: r, abs, type: 'symlink', mode });
      else if (st.isDirectory()) {
        out.push({ rel: r, abs, type: 'directory', mode });
        await walk(r);
      } else if (st.isFile()) out.push({ rel: r, abs, type: 'file', mode });
    }
  }
  await walk('');
  return out;
}

/** Entries for a host folder's contents placed under `prefix` (a relative path, '' for the root). */
export async function dirEntries(hostDir: string, prefix: string): Promise<TarEntry[]> {
  const items = await listDir(hostDir);
  const join = (rel: string): string => (prefix ? `${prefix}/${rel}` : rel);
  return Promise.all(
    items.map(async (it): Promise<TarEntry> => {
      if (it.type === 'directory') return { name: join(it.rel), type: 'directory', mode: it.mode };
      if (it.type === 'symlink')
        return { name: join(it.rel), type: 'symlink', mode: it.mode, linkname: await fs.readlink(it.abs) };
      return { name: join(it.rel), type: 'file', mode: it.mode, content: await fs.readFile(it.abs) };
    }),
  );
}

/** A tar archive (as a Buffer: our payloads are task folders, small enough to hold in memory). */
export async function packEntries(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  for (const e of entries) {
    const header = { name: e.name, mode: e.mode, type: e.type, uid: 0, gid: 0, mtime: new Date(0) };
    if (e.type === 'file') pack.entry({ ...header, size: e.content?.length ?? 0 }, e.content ?? Buffer.alloc(0));
    else if (e.type === 'symlink') pack.entry({ ...header, linkname: e.linkname ?? '' });
    else pack.entry(header);
  }
  pack.finalize();
  return done;
}

/**
 * The bytes of the archive's first entry when it is a regular file; null otherwise (e.g. a folder). A file
 * over `maxBytes` is refused from its header (FileTooLargeError) before any content is buffered, and the
 * stream is dropped after the first entry: whatever the container holds, the host never allocates more.
 */
export async function firstFileFrom(
  stream: Readable | NodeJS.ReadableStream,
  opts: { path: string; maxBytes: number },
): Promise<Buffer | null> {
  const extract = tar.extract();
  const stop = (): void => {
    (stream as { destroy?: () => void }).destroy?.();
    extract.destroy();
  };
  return new Promise<Buffer | null>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        fn();
      }
    };
    extract.on('entry', (header, body) => {
      if (header.type !== 'file') {
        stop();
        settle(() => resolve(null));
        return;
      }
      const size = header.size ?? 0;
      if (size > opts.maxBytes) {
        stop();
        settle(() => reject(new FileTooLargeError(opts.path, size, opts.maxBytes)));
        return;
      }
      const parts: Buffer[] = [];
      body.on('data', (c: unknown) => {
        parts.push(c as Buffer);
      });
      body.on('end', () => {
        const buf = Buffer.concat(parts);
        stop();
        settle(() => resolve(buf));
      });
      body.on('error', (err: Error) => settle(() => reject(err)));
    });
    extract.on('finish', () => settle(() => resolve(null)));
    extract.on('error', (err: Error) => settle(() => reject(err)));
    stream.on('error', (err: Error) => settle(() => reject(err)));
    stream.pipe(extract);
  });
}
