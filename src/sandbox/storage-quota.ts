/**
 * storage_mb as a kernel-enforced quota, where the Docker storage driver offers one (`--storage-opt size`):
 * - btrfs: a qgroup limit on the container's subvolume. It counts every byte the subvolume references —
 *   the image's own files included — and metadata too, so an empty-file (inode) flood is bounded as well.
 * - overlay2 on xfs mounted with pquota, and zfs: a quota on the writable layer alone.
 * Anything else (overlay2 on ext4, the common case) has none: the storage watchdog holds the limit alone.
 *
 * The quota leaves VERIFIER_HEADROOM_MB above storage_mb, so a full disk never stops the verifier from copying
 * its tests in and writing a reward; the watchdog's last measurement still fails any agent that used more
 * than storage_mb (StorageLimitError). So the agent's writes are bounded by storage_mb + the headroom, hard.
 */
import type Docker from 'dockerode';

export type QuotaKind = 'referenced' | 'writable-layer' | 'none';

export const VERIFIER_HEADROOM_MB = 16;
const MB = 1024 * 1024;

/** Which kind of quota this daemon's storage driver can hold (from `docker info`). */
export function quotaKindOf(info: { Driver?: string; DriverStatus?: [string, string][] }): QuotaKind {
  const backing = info.DriverStatus?.find(([k]) => k === 'Backing Filesystem')?.[1];
  if (info.Driver === 'btrfs') return 'referenced';
  if (info.Driver === 'zfs') return 'writable-layer';
  if (info.Driver === 'overlay2' && backing === 'xfs') return 'writable-layer'; // only with pquota: probed at create
  return 'none';
}

/** The `size` storage option for a sandbox of `imageBytes` under storage_mb, or null without a quota. */
export function storageOptSize(kind: QuotaKind, storageMb: number, imageBytes: number): string | null {
  if (kind === 'none') return null;
  const bytes = (storageMb + VERIFIER_HEADROOM_MB) * MB + (kind === 'referenced' ? imageBytes : 0);
  return String(Math.ceil(bytes / MB)) + 'M';
}

/** The daemon refused `--storage-opt` (e.g. overlay2 on xfs without pquota): run without a quota. */
export const isStorageOptRefusal = (err: unknown): boolean =>
  /storage-opt|storage option|project quota|pquota/i.test(err instanceof Error ? err.message : String(err));

/** Caches the daemon's quota kind and each image's size for one provider. */
export class StorageQuota {
  private kind: Promise<QuotaKind> | null = null;
  private readonly imageBytes = new Map<string, Promise<number>>();

  constructor(private readonly docker: Docker) {}

  kindOf(): Promise<QuotaKind> {
    // A failed lookup (daemon down) is not remembered: the next sandbox asks again.
    this.kind ??= this.docker.info().then((info: Parameters<typeof quotaKindOf>[0]) => quotaKindOf(info)).catch((err: unknown) => {
      this.kind = null;
      throw err;
    });
    return this.kind;
  }

  /** Remembers that the daemon refused the option, so later sandboxes do not ask again. */
  refuse(): void {
    this.kind = Promise.resolve('none');
  }

  async sizeFor(image: string, storageMb: number): Promise<string | null> {
    const kind = await this.kindOf();
    if (kind !== 'referenced') return storageOptSize(kind, storageMb, 0);
    let bytes = this.imageBytes.get(image);
    if (!bytes) {
      bytes = this.docker.getImage(image).inspect().then((i) => Number(i.Size ?? 0));
      this.imageBytes.set(image, bytes);
    }
    return storageOptSize(kind, storageMb, await bytes);
  }
}
