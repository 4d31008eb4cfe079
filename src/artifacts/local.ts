/**
 * `local` artifact store: `<root>/artifacts/<sha256[0:2]>/<sha256>`, the layout campaign folders have always
 * used (src/store/artifacts.ts writes it), so a folder written before stays readable.
 */
import { existsSync } from 'node:fs';
import { getArtifact, putArtifact, sha256 } from '../store/artifacts';
import { ArtifactNotFoundError } from '../store/errors';
import { ArtifactIntegrityError, SHA256_HEX, type ArtifactStore } from './port';
import { artifactFile, artifactsDir } from '../campaign/layout';

export class LocalArtifactStore implements ArtifactStore {
  readonly url: string;
  constructor(readonly root: string) {
    this.url = `file:${artifactsDir(root)}`;
  }

  put(data: Buffer | string): Promise<string> {
    return Promise.resolve().then(() => putArtifact(this.root, data));
  }

  async get(hash: string): Promise<Buffer> {
    const bytes = getArtifact(this.root, hash);
    const actual = sha256(bytes);
    if (actual !== hash) throw new ArtifactIntegrityError(hash, this.url, actual);
    return bytes;
  }

  has(hash: string): Promise<boolean> {
    if (!SHA256_HEX.test(hash)) return Promise.reject(new ArtifactNotFoundError(hash, this.url));
    return Promise.resolve(existsSync(artifactFile(this.root, hash)));
  }
}
