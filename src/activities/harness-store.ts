/**
 * Content-addressed harness folders of a campaign: `<campaignDir>/harnesses/<id>/`. A folder, once there,
 * never changes, so trials load harnesses by id and loaded harnesses can be cached by folder.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { listHarnessFiles, writeHarnessFiles } from '../harness/files';
import { loadHarness } from '../harness/load';
import type { Harness } from '../harness/schema';
import type { HarnessRef } from '../workflows/types';
import { harnessDir, harnessesDir } from '../campaign/layout';

const exists = (p: string): Promise<boolean> =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Total bytes of the harness files: the "simpler harness" tie-breaker. */
const complexityOf = (h: Harness): number =>
  Object.values(h.files).reduce((n, text) => n + Buffer.byteLength(text, 'utf8'), 0);

/**
 * Writes a validated harness into the campaign, once, from the very files that were validated and hashed
 * (atomically: a temp folder, then rename). File modes come from `modesFrom` (the folder it was loaded from,
 * or a proposal's parent), so an executable tool stays executable.
 */
export async function materializeHarness(
  campaignDir: string,
  harness: Harness,
  modesFrom: string,
): Promise<HarnessRef & { dir: string }> {
  const dest = harnessDir(campaignDir, harness.id);
  const ref = { id: harness.id, dir: dest, complexity: complexityOf(harness) };
  if (await exists(dest)) return ref;
  const tmp = path.join(harnessesDir(campaignDir), `.tmp-${randomUUID()}`);
  await mkdir(tmp, { recursive: true });
  await writeHarnessFiles(tmp, harness.files);
  await copyModes(modesFrom, tmp, harness.files);
  try {
    await rename(tmp, dest);
  } catch (err) {
    // Another proposal materialized the same content first: identical bytes, keep theirs.
    await rm(tmp, { recursive: true, force: true });
    if (!(await exists(dest))) throw err;
  }
  return ref;
}

async function copyModes(fromDir: string, toDir: string, files: Record<string, string>): Promise<void> {
  for (const rel of await listHarnessFiles(fromDir).catch(() => [])) {
    if (files[rel] === undefined) continue;
    const mode = (await stat(path.join(fromDir, rel))).mode & 0o777;
    if (mode & 0o111) await chmod(path.join(toDir, rel), mode);
  }
}

const cache = new Map<string, Promise<Harness>>();

/** Loads a harness folder once per process (folders under harnesses/ are immutable). */
export function loadHarnessCached(dir: string): Promise<Harness> {
  let p = cache.get(dir);
  if (!p) {
    p = loadHarness(dir);
    p.catch(() => cache.delete(dir));
    if (cache.size > 256) cache.clear();
    cache.set(dir, p);
  }
  return p;
}
