/**
 * `s3` artifact store over the official AWS SDK v3: AWS S3, or any S3-compatible server (SeaweedFS, MinIO,
 * Ceph, GCS's S3 API). Credentials, region and endpoint come the standard way — AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3 —
 * read by the SDK itself; AWS_MAX_ATTEMPTS (the SDK's own name, default 3) sets how often a 5xx or throttled
 * call is tried before it is a StoreError. With a custom endpoint, path-style addressing is used (virtual-host
 * names do not resolve for 127.0.0.1 or most self-hosted stores); AUTOAGENT_S3_PATH_STYLE=0|1 overrides it.
 * Keys: `<prefix>/sha256/<aa>/<hash>`. A write checks existence first, so a blob is uploaded once.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { sha256 } from '../store/artifacts';
import { ArtifactNotFoundError, StoreError } from '../store/errors';
import { ArtifactIntegrityError, SHA256_HEX, type ArtifactStore } from './port';

type Env = Record<string, string | undefined>;

export interface S3Location {
  bucket: string;
  /** Without leading or trailing slashes; '' for the bucket's root. */
  prefix: string;
}

export function s3ClientFromEnv(env: Env = process.env): S3Client {
  // The SDK warns every process on Node < 22 about its releases of 2027; we pin Node 20 and this SDK's
  // version, so the warning only clutters every command's stderr. The user's own setting wins.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const pathStyle = env.AUTOAGENT_S3_PATH_STYLE !== undefined ? env.AUTOAGENT_S3_PATH_STYLE === '1' : Boolean(endpoint);
  const maxAttempts = env.AWS_MAX_ATTEMPTS === undefined ? undefined : Number(env.AWS_MAX_ATTEMPTS);
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new Error(`AWS_MAX_ATTEMPTS: expected a whole number >= 1, got ${JSON.stringify(env.AWS_MAX_ATTEMPTS)}`);
  }
  return new S3Client({
    // Passed explicitly for the same reason as the endpoint: `env` need not be process.env.
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    // The SDK reads the endpoint itself too; passing it keeps the two in step when `env` is not process.env.
    ...(endpoint ? { endpoint } : {}),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: pathStyle,
    // Keys given in `env` are used as given; without them the SDK's own chain (AWS_PROFILE, SSO, instance roles).
    ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  });
}

const isMissing = (err: unknown): boolean =>
  err instanceof NoSuchKey ||
  err instanceof NotFound ||
  (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404);

export class S3ArtifactStore implements ArtifactStore {
  readonly url: string;
  constructor(
    readonly location: S3Location,
    private readonly client: S3Client = s3ClientFromEnv(),
  ) {
    this.url = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
  }

  private key(hash: string): string {
    if (!SHA256_HEX.test(hash)) throw new ArtifactNotFoundError(hash, this.url);
    return `${this.location.prefix ? `${this.location.prefix}/` : ''}sha256/${hash.slice(0, 2)}/${hash}`;
  }

  async put(data: Buffer | string): Promise<string> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const hash = sha256(bytes);
    if (await this.has(hash)) return hash;
    const put = () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: this.key(hash),
          Body: bytes,
          ContentType: 'application/octet-stream',
        }),
      );
    await this.call(`put ${hash}`, async () => {
      try {
        await put();
      } catch (err) {
        if ((err as { name?: string }).name !== 'NoSuchBucket') throw err;
        await this.createBucket();
        await this.untilWritable(put);
      }
    });
    return hash;
  }

  /** A bucket named in AUTOAGENT_ARTIFACTS that does not exist yet is created (on first write, once). */
  private async createBucket(): Promise<void> {
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.location.bucket }));
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
    }
  }

  /**
   * The first write to a new bucket: some servers answer 500 while they set its storage up (SeaweedFS
   * creates a bucket's volumes then), for longer than the SDK's own retries wait.
   */
  private async untilWritable(write: () => Promise<unknown>, attempts = 8): Promise<void> {
    for (let i = 1; ; i++) {
      try {
        await write();
        return;
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
        if (i >= attempts || status < 500) throw err;
        await new Promise((r) => setTimeout(r, Math.min(8000, 250 * 2 ** i)));
      }
    }
  }

  async get(hash: string): Promise<Buffer> {
    const key = this.key(hash);
    let bytes: Buffer;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      bytes = Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    } catch (err) {
      if (isMissing(err)) throw new ArtifactNotFoundError(hash, `${this.url}/${key}`);
      throw this.storeError(`get ${hash}`, err);
    }
    const actual = sha256(bytes);
    if (actual !== hash) throw new ArtifactIntegrityError(hash, `${this.url}/${key}`, actual);
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    const key = this.key(hash);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw this.storeError(`head ${hash}`, err);
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.storeError(what, err);
    }
  }

  private storeError(what: string, err: unknown): StoreError {
    const e = err as { name?: string; message?: string };
    return new StoreError(`S3 ${what} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, this.url);
  }
}
