/**
 * The artifact store port: content-addressed, write-once blobs named by their sha256 (hex). Trajectories,
 * verifier and build logs, harness versions, diffs and task / harness bundles are stored once, whatever
 * machine wrote them; every reader verifies what it gets. Adapters: `local` (a folder, the embedded default)
 * and `s3` (any S3-compatible store). `AUTOAGENT_ARTIFACTS` picks one (from-url.ts).
 */
export interface ArtifactStore {
  /** Where it is, for messages: `file:/x/artifacts`, `s3://bucket/prefix`. */
  readonly url: string;
  /** Stores bytes (a string as UTF-8); returns their sha256. Idempotent: equal bytes are stored once. */
  put(data: Buffer | string): Promise<string>;
  /** The bytes of `hash`, checked against it; ArtifactNotFoundError when absent. */
  get(hash: string): Promise<Buffer>;
  has(hash: string): Promise<boolean>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export class ArtifactIntegrityError extends Error {
  constructor(
    readonly hash: string,
    readonly where: string,
    readonly actual: string,
  ) {
    super(
      `artifact ${hash} at ${where} holds other bytes (sha256 ${actual}): the store is corrupt or was written by someone else`,
    );
    this.name = 'ArtifactIntegrityError';
  }
}
