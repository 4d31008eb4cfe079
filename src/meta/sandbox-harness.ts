/**
 * Reads a harness folder back out of a sandbox into a files record, with the same rules as the host
 * reader (harness/files.ts): regular files only, dot-files and dot-folders ignored, UTF-8 text, size and
 * count limits. Problems become HarnessErrors naming the file, so they read like any validation error.
 */
import { HarnessError } from '../harness/errors';
import { decodeHarnessFile, MAX_FILES } from '../harness/files';
import type { Sandbox } from '../sandbox/types';
import { shellQuote } from '../util/shell';

/** Relative paths of the regular files under `dir` in the sandbox, sorted, hidden ones skipped. */
async function listFiles(sandbox: Sandbox, dir: string): Promise<string[]> {
  const r = await sandbox.exec(`cd ${shellQuote(dir)} && find . -type f -print0`, {
    timeoutSec: 60,
    maxOutputBytes: 4_000_000,
  });
  if (r.exitCode !== 0)
    throw new HarnessError(
      dir,
      '',
      `cannot read harness folder: ${(r.stderr || r.stdout).trim() || `exit ${r.exitCode}`}`,
    );
  const rels = r.stdout
    .split('\0')
    .filter(Boolean)
    .map((p) => p.replace(/^\.\//, ''));
  const visible = rels.filter((p) => !p.split('/').some((part) => part.startsWith('.'))).sort();
  if (visible.length > MAX_FILES) throw new HarnessError(dir, '', `too many files (${visible.length} > ${MAX_FILES})`);
  return visible;
}

export async function readSandboxHarness(sandbox: Sandbox, dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const rel of await listFiles(sandbox, dir)) {
    const bytes = await sandbox.getFile(`${dir}/${rel}`);
    if (bytes === null) throw new HarnessError(rel, '', 'file vanished while reading the harness');
    files[rel] = decodeHarnessFile(rel, bytes);
  }
  return files;
}
