/**
 * storage_mb as a kernel-enforced quota, where the Docker storage driver offers one (`--storage-opt size`):
 * - btrfs with simple quotas (squota, Linux >= 6.7; what scripts/setup-docker.sh enables): a limit on what the
 *   container's subvolume itself allocates — data and metadata, so an empty-file (inode) flood is bounded
 *   too — and cheap to keep.
 * - btrfs with classic qgroups: a limit on everything the subvolume references, the image's blocks included.
 *   The image's share is not known exactly from the Docker API (its size is the sum of file sizes; btrfs also
 *   counts block rounding and metadata), and btrfs refuses a limit below what the new subvolume already
 *   references, so the limit starts at the image's size plus a slack, and the slack doubles on that refusal
 *   (remembered per image). Classic qgroups make every subvolume deletion expensive (btrfs-cleaner).
 *   Which of the two a btrfs daemon has is probed once, with a limit below any image: only squota takes it.
 * - overlay2 on xfs mounted with pquota, and zfs: a quota on the writable layer alone.
 * Anything else (overlay2 on ext4, the common case) has none: the storage watchdog holds the limit alone.
 *
 * The quota leaves VERIFIER_HEADROOM_MB above storage_mb, so a full disk never stops the verifier from copying
 * its tests in and writing a reward; the watchdog's last measurement still fails any agent that used more
 * than storage_mb (StorageLimitError). So the agent's writes are bounded by storage_mb + the headroom, hard.
 */
import type Docker from 'dockerode';
import { errorText } from '../util/error-text';

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

/** The `size` storage option for a sandbox of `imageBytes` (+ `slackBytes`) under storage_mb, or null without a quota. */
export function storageOptSize(kind: QuotaKind, storageMb: number, imageBytes: number, slackBytes = 0): string | null {
  // A task built in code without the schema's defaults has no storage_mb: nothing to hold.
  if (kind === 'none' || !Number.isFinite(storageMb)) return null;
  const bytes = (storageMb + VERIFIER_HEADROOM_MB) * MB + (kind === 'referenced' ? imageBytes + slackBytes : 0);
  return String(Math.ceil(bytes / MB)) + 'M';
}

/**
 * The first slack over an image's size on btrfs, for its block rounding and metadata (1.5 MB on 148 MB of
 * debian:bookworm-slim here). Small, because the agent may use it too; each refusal costs one fast failed create.
 */
export const initialSlackBytes = (imageBytes: number): number => Math.max(4 * MB, Math.ceil(imageBytes * 0.02));

/** btrfs refused the limit because the new subvolume already references more (the image's real share). */
export const isLimitBelowUsage = (err: unknown): boolean => /limit qgroup.*disk quota exceeded/i.test(errorText(err));

/** The daemon refused `--storage-opt` (e.g. overlay2 on xfs without pquota): run without a quota. */
export const isStorageOptRefusal = (err: unknown): boolean =>
  /storage-opt|storage option|project quota|pquota/i.test(errorText(err));

/** Caches the daemon's quota kind and each image's size for one provider. */
export class StorageQuota {
  private kind: Promise<QuotaKind> | null = null;
  private readonly imageBytes = new Map<string, Promise<number>>();
  private readonly slack = new Map<string, number>();

  private btrfsKind: Promise<QuotaKind> | null = null;

  /** `probeLabels`: the labels of the one probe container, so the orphan reaper finds it if this process dies. */
  constructor(
    private readonly docker: Docker,
    private readonly probeLabels: () => Record<string, string> = () => ({}),
  ) {}

  /** The daemon's quota kind; given an image, a btrfs daemon's is probed (squota or classic) with it, once. */
  async kindOf(image?: string): Promise<QuotaKind> {
    // A failed lookup (daemon down) is not remembered: the next sandbox asks again.
    this.kind ??= this.docker
      .info()
      .then((info: Parameters<typeof quotaKindOf>[0]) => quotaKindOf(info))
      .catch((err: unknown) => {
        this.kind = null;
        throw err;
      });
    const kind = await this.kind;
    if (kind !== 'referenced' || !image) return kind;
    this.btrfsKind ??= this.probeBtrfs(image).catch((err: unknown) => {
      this.btrfsKind = null;
      throw err;
    });
    return this.btrfsKind;
  }

  /** Squota takes a 1 MB limit on a container of any image (its own writes only); classic qgroups refuse it. */
  private async probeBtrfs(image: string): Promise<QuotaKind> {
    try {
      const probe = await this.docker.createContainer({
        Image: image,
        Entrypoint: ['true'],
        Cmd: [],
        Labels: this.probeLabels(),
        HostConfig: { NetworkMode: 'none', StorageOpt: { size: '1M' } },
      });
      await probe.remove({ force: true }).catch(() => undefined);
      return 'writable-layer';
    } catch (err) {
      if (isLimitBelowUsage(err)) return 'referenced';
      if (isStorageOptRefusal(err)) return 'none';
      throw err;
    }
  }

  /** Remembers that the daemon refused the option, so later sandboxes do not ask again. */
  refuse(): void {
    this.kind = Promise.resolve('none');
  }

  async sizeFor(image: string, storageMb: number): Promise<string | null> {
    const kind = await this.kindOf(image);
    if (kind !== 'referenced') return storageOptSize(kind, storageMb, 0);
    const imageBytes = await this.imageSize(image);
    return storageOptSize(kind, storageMb, imageBytes, this.slack.get(image) ?? initialSlackBytes(imageBytes));
  }

  /** The image's size (the sum of its files), asked of the daemon once per image. */
  private imageSize(image: string): Promise<number> {
    let bytes = this.imageBytes.get(image);
    if (!bytes) {
      bytes = this.docker
        .getImage(image)
        .inspect()
        .then((i) => Number(i.Size ?? 0));
      this.imageBytes.set(image, bytes);
    }
    return bytes;
  }

  /** The most the kernel lets a sandbox of `image` write under storage_mb (bytes), or null without a quota. */
  async boundBytes(image: string, storageMb: number): Promise<number | null> {
    const size = await this.sizeFor(image, storageMb);
    if (size === null) return null;
    const limit = Number(size.slice(0, -1)) * MB;
    return (await this.kindOf(image)) === 'referenced' ? limit - (await this.imageSize(image)) : limit;
  }

  /**
   * After isLimitBelowUsage: doubles the image's slack; false once it exceeds the image's own size (then the
   * refusal is not about the image's share, and is the caller's error to report).
   */
  async widen(image: string): Promise<boolean> {
    const imageBytes = await this.imageSize(image);
    const next = 2 * (this.slack.get(image) ?? initialSlackBytes(imageBytes));
    if (next > Math.max(imageBytes, 64 * MB) * 2) return false;
    this.slack.set(image, next);
    return true;
  }
}
