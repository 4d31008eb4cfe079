/**
 * A harness on disk is a folder of UTF-8 text files. This module reads it into a
 * `relative path -> text` record (sorted, '/'-separated; dot-files, dot-folders and a top-level CARD.md are ignored),
 * computes the content-addressed id, and copies / materializes harness folders.
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { HarnessError } from './errors';

/** Guards against a meta-agent dumping large outputs into its harness. */
const MAX_FILE_BYTES = 1_000_000;
export const MAX_FILES = 500;

/**
 * The card `autoagent export` writes beside an exported harness (scores, lineage, diff): documentation about
 * the harness, not part of it — so the exported folder keeps the candidate's id.
 */
export const HARNESS_CARD = 'CARD.md';

/** Relative paths of every harness file (the card excepted), sorted, with '/' separators. */
export async function listHarnessFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await readdir(join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === HARNESS_CARD) continue;
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  }
  try {
    await walk('');
  } catch (err) {
    throw new HarnessError(dir, '', `cannot read harness folder: ${(err as Error).message}`);
  }
  if (out.length > MAX_FILES) throw new HarnessError(dir, '', `too many files (${out.length} > ${MAX_FILES})`);
  return out.sort();
}

export async function readHarnessFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const rel of await listHarnessFiles(dir)) files[rel] = decodeHarnessFile(rel, await readFile(join(dir, rel)));
  return files;
}

/** A harness file's bytes as text, enforcing the size limit and UTF-8 (wherever the bytes came from). */
export function decodeHarnessFile(rel: string, bytes: Uint8Array): string {
  if (bytes.length > MAX_FILE_BYTES)
    throw new HarnessError(rel, '', `file too large (${bytes.length} bytes > ${MAX_FILE_BYTES})`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HarnessError(rel, '', 'not a UTF-8 text file (harness files must be text)');
  }
}

/** 'h-' + first 16 hex of sha256 over (path, bytes) of every file in path order. */
export function computeHarnessId(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const rel of Object.keys(files).sort()) {
    h.update(rel, 'utf8');
    h.update('\0');
    h.update(files[rel] as string, 'utf8');
    h.update('\0');
  }
  return 'h-' + h.digest('hex').slice(0, 16);
}

/** Copies every harness file (keeping file modes, so scripts stay executable) into destDir. */
export async function copyHarness(srcDir: string, destDir: string): Promise<void> {
  const rels = await listHarnessFiles(srcDir);
  await assertEmptyOrMissing(destDir);
  for (const rel of rels) {
    const to = join(destDir, rel);
    await mkdir(dirname(to), { recursive: true });
    await copyFile(join(srcDir, rel), to);
    await chmod(to, (await stat(join(srcDir, rel))).mode & 0o777);
  }
}

/**
 * Writes a files record into dir (creating folders). Paths must stay inside dir. Existing other
 * files are left alone; write into an empty folder to materialize exactly this harness.
 * Files under tools/ that start with '#!' are made executable.
 */
export async function writeHarnessFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const clean = normalize(rel);
    if (isAbsolute(rel) || clean.startsWith('..') || clean.split(sep).includes('..')) {
      throw new HarnessError(rel, '', 'path must be relative and inside the harness folder');
    }
    const to = join(dir, clean);
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, text, 'utf8');
    if (text.startsWith('#!')) await chmod(to, 0o755);
  }
}

async function assertEmptyOrMissing(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) throw new HarnessError(dir, '', 'destination folder is not empty');
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
