/**
 * Content hash of a task folder: sha256 over every file (sorted relative POSIX path, then its bytes), so it
 * is stable across machines and checkouts and changes whenever any byte or file name changes. Trial ids are
 * derived from it, so an edited task never reuses a cached trial. Symlinks are hashed by target, not
 * followed (a link out of the folder must not make the hash depend on the outside world).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function taskHash(dir: string): Promise<string> {
  const root = path.resolve(dir);
  const files = await listFiles(root);
  const h = createHash('sha256');
  for (const rel of files) {
    const abs = path.join(root, ...rel.split('/'));
    const st = await fs.lstat(abs);
    const body = st.isSymbolicLink() ? Buffer.from(`symlink:${await fs.readlink(abs)}`) : await fs.readFile(abs);
    // Length-prefix both parts so ("ab","c") and ("a","bc") can never collide.
    h.update(`${Buffer.byteLength(rel)}:${rel}\0${body.length}:`);
    h.update(body);
  }
  return h.digest('hex');
}

/** Every non-directory entry under root, as sorted POSIX relative paths. */
async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(child);
      else out.push(child);
    }
  }
  await walk('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
