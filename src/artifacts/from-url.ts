/**
 * AUTOAGENT_ARTIFACTS → an artifact store: `file:<dir>` (the default: the campaign folder's own
 * `artifacts/`), or `s3://bucket[/prefix]`. Anything else is an error naming the variable.
 */
import path from 'node:path';
import { LocalArtifactStore } from './local';
import type { ArtifactStore } from './port';
import { S3ArtifactStore, s3ClientFromEnv } from './s3';

type Env = Record<string, string | undefined>;

class ArtifactsUrlError extends Error {
  constructor(
    readonly value: string,
    problem: string,
  ) {
    super(`AUTOAGENT_ARTIFACTS=${JSON.stringify(value)}: ${problem}; expected file:<dir> or s3://bucket[/prefix]`);
    this.name = 'ArtifactsUrlError';
  }
}

export type ArtifactsLocation = { kind: 'file'; root: string } | { kind: 's3'; bucket: string; prefix: string };

export function parseArtifactsUrl(value: string): ArtifactsLocation {
  if (value.startsWith('file:')) {
    const dir = value.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!dir) throw new ArtifactsUrlError(value, 'no folder after file:');
    // `file:<dir>` names the folder that holds `artifacts/`, like a campaign folder.
    return { kind: 'file', root: path.resolve(dir) };
  }
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value);
  if (m) {
    const bucket = m[1] as string;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new ArtifactsUrlError(value, `"${bucket}" is not an S3 bucket name`);
    return { kind: 's3', bucket, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
  }
  throw new ArtifactsUrlError(value, 'unknown scheme');
}

/** The configured store, or the local one under `defaultRoot` when the variable is unset. */
export function artifactStoreFromEnv(defaultRoot: string, env: Env = process.env): ArtifactStore {
  const value = env.AUTOAGENT_ARTIFACTS;
  if (!value) return new LocalArtifactStore(defaultRoot);
  const loc = parseArtifactsUrl(value);
  return loc.kind === 'file'
    ? new LocalArtifactStore(loc.root)
    : new S3ArtifactStore({ bucket: loc.bucket, prefix: loc.prefix }, s3ClientFromEnv(env));
}
