/**
 * Harbor's artifact collection: the task's top-level `artifacts` paths and the /logs/artifacts convention
 * folder are copied out of the agent's container after its last agent phase into the trial folder's
 * `artifacts/` (each under its container path, as Harbor lays them out), bounded in total by storage_mb, and
 * listed on the trial record. A path the agent did not produce is simply absent; past the budget the copy
 * stops and the entry says `truncated` (the record never fails a trial: the verifier's copy is what counts).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar-stream';
import type { TrialSandbox } from '../sandbox/types';
import type { Task } from '../tasks/types';
import { ArtifactTooLargeError } from '../verifier/errors';
import { artifactSources } from './separate-verifier';

export interface CollectedArtifact {
  source: string;
  bytes: number;
  /** Copying stopped at the storage_mb budget: what is there is partial, and later sources were skipped. */
  truncated?: true;
}

/** Unpacks a container tar (entries relative to the source's parent) under `dest`, refusing escapes. */
async function unpackInto(
  stream: NodeJS.ReadableStream,
  dest: string,
  budget: { left: number; source: string; max: number },
): Promise<number> {
  const extract = tar.extract();
  let bytes = 0;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, entry, next) => {
      const file = path.resolve(dest, header.name);
      if (file !== dest && !file.startsWith(dest + path.sep)) {
        entry.resume();
        next();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: unknown) => {
        const b = c as Buffer;
        bytes += b.length;
        budget.left -= b.length;
        if (budget.left < 0) {
          reject(new ArtifactTooLargeError(budget.source, budget.max));
          return;
        }
        chunks.push(b);
      });
      entry.on('end', () => {
        void (async () => {
          if (header.type === 'directory') await fs.mkdir(file, { recursive: true });
          else if (header.type === 'file') {
            await fs.mkdir(path.dirname(file), { recursive: true });
            await fs.writeFile(file, Buffer.concat(chunks), { mode: (header.mode ?? 0o644) & 0o755 });
          } // links and devices are not artifacts
        })().then(() => next(), reject);
      });
      entry.on('error', reject);
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  stream.pipe(extract);
  await done;
  return bytes;
}

/**
 * Copies the artifacts (by default the task's: artifactSources) into a fresh host folder; returns it (null
 * when nothing was produced) and the list.
 */
export async function collectArtifacts(
  box: Pick<TrialSandbox, 'archive'>,
  task: Task,
  sources: readonly string[] = artifactSources(task),
): Promise<{ dir: string | null; artifacts: CollectedArtifact[] }> {
  const max = task.config.environment.storageMb * 1024 * 1024;
  const budget = { left: max, source: '', max };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aa-artifacts-'));
  const artifacts: CollectedArtifact[] = [];
  try {
    for (const source of sources) {
      const stream = await box.archive(source);
      if (!stream) continue;
      budget.source = source;
      // A container tar names entries from the source's basename: place them under its parent's path
      // (resolved: a top-level source such as /app would leave a trailing separator that no entry matches).
      const parent = path.resolve(dir, `.${path.posix.dirname(source)}`);
      await fs.mkdir(parent, { recursive: true });
      const before = budget.left;
      try {
        artifacts.push({ source, bytes: await unpackInto(stream, parent, budget) });
      } catch (err) {
        if (!(err instanceof ArtifactTooLargeError)) throw err;
        // A record of the trial, not its verdict: keep what fits and say so.
        (stream as { destroy?: () => void }).destroy?.();
        artifacts.push({ source, bytes: before - Math.max(0, budget.left), truncated: true });
        break;
      }
    }
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
  if (artifacts.length === 0) {
    await fs.rm(dir, { recursive: true, force: true });
    return { dir: null, artifacts };
  }
  return { dir, artifacts };
}
