import { StorageLimitError, isQuotaFull } from '../../../src/sandbox/errors';
import {
  StorageQuota,
  VERIFIER_HEADROOM_MB,
  initialSlackBytes,
  isLimitBelowUsage,
  isStorageOptRefusal,
  quotaKindOf,
  storageOptSize,
} from '../../../src/sandbox/storage-quota';

test('the quota kind follows the storage driver', () => {
  expect(quotaKindOf({ Driver: 'btrfs' })).toBe('referenced');
  expect(quotaKindOf({ Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'extfs']] })).toBe('none');
  expect(quotaKindOf({ Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'xfs']] })).toBe('writable-layer');
  expect(quotaKindOf({ Driver: 'zfs' })).toBe('writable-layer');
  expect(quotaKindOf({ Driver: 'vfs' })).toBe('none');
});

test('btrfs counts the image too; a writable-layer quota does not', () => {
  const MB = 1024 * 1024;
  expect(storageOptSize('referenced', 50, 100 * MB)).toBe(`${150 + VERIFIER_HEADROOM_MB}M`);
  expect(storageOptSize('writable-layer', 50, 100 * MB)).toBe(`${50 + VERIFIER_HEADROOM_MB}M`);
  expect(storageOptSize('none', 50, 100 * MB)).toBeNull();
});

test('a daemon refusing the option is recognised', () => {
  expect(
    isStorageOptRefusal(new Error("--storage-opt is supported only for overlay over xfs with 'pquota' mount option")),
  ).toBe(true);
  expect(isStorageOptRefusal(new Error('No such image: x'))).toBe(false);
});

test("btrfs slack: a few MB over the image to start, doubled on each refusal, given up once past the image's own size", async () => {
  const MB = 1024 * 1024;
  expect(initialSlackBytes(100 * MB)).toBe(4 * MB);
  expect(initialSlackBytes(1000 * MB)).toBe(20 * MB);
  expect(
    isLimitBelowUsage(new Error('(HTTP code 500) server error - Failed to limit qgroup for &{}: disk quota exceeded')),
  ).toBe(true);
  expect(isLimitBelowUsage(new Error('No such image: x'))).toBe(false);

  const probes: unknown[] = [];
  const docker = {
    info: () => Promise.resolve({ Driver: 'btrfs' }),
    getImage: () => ({ inspect: () => Promise.resolve({ Size: 100 * MB }) }),
    // Classic qgroups: a 1 MB limit is below what any image's subvolume references.
    createContainer: (spec: unknown) => {
      probes.push(spec);
      return Promise.reject(new Error('Failed to limit qgroup for &{}: disk quota exceeded'));
    },
  } as unknown as ConstructorParameters<typeof StorageQuota>[0];
  const quota = new StorageQuota(docker, () => ({ autoagent: '1' }));
  expect(await quota.sizeFor('img', 50)).toBe(`${100 + 4 + 50 + VERIFIER_HEADROOM_MB}M`);
  expect(await quota.boundBytes('img', 50)).toBe((4 + 50 + VERIFIER_HEADROOM_MB) * MB);
  const widened: boolean[] = [];
  for (let i = 0; i < 8; i++) widened.push(await quota.widen('img'));
  // 8, 16, 32, 64, 128 MB of slack; 256 MB would be past twice the image's 100 MB: refused, the error is reported.
  expect(widened).toEqual([true, true, true, true, true, false, false, false]);
  expect(await quota.sizeFor('img', 50)).toBe(`${100 + 128 + 50 + VERIFIER_HEADROOM_MB}M`);
  expect(probes).toEqual([
    expect.objectContaining({
      Image: 'img',
      Labels: { autoagent: '1' },
      HostConfig: expect.objectContaining({ StorageOpt: { size: '1M' } }),
    }),
  ]); // probed once
});

test("btrfs with simple quotas takes a limit below the image: the quota is on the container's own writes", async () => {
  const MB = 1024 * 1024;
  let removed = 0;
  const docker = {
    info: () => Promise.resolve({ Driver: 'btrfs' }),
    getImage: () => ({ inspect: () => Promise.resolve({ Size: 100 * MB }) }),
    createContainer: () =>
      Promise.resolve({
        remove: () => {
          removed++;
          return Promise.resolve();
        },
      }),
  } as unknown as ConstructorParameters<typeof StorageQuota>[0];
  const quota = new StorageQuota(docker);
  expect(await quota.sizeFor('img', 50)).toBe(`${50 + VERIFIER_HEADROOM_MB}M`);
  expect(await quota.boundBytes('img', 50)).toBe((50 + VERIFIER_HEADROOM_MB) * MB);
  expect(removed).toBe(1);
});

test('an exhausted quota is recognised in a Docker error, and named for what it is', () => {
  const err = new Error(
    'putDir: (HTTP code 500) server error - Error setting up pivot dir: mkdir /x/.pivot_root1: disk quota exceeded',
  );
  expect(isQuotaFull(err)).toBe(true);
  expect(isQuotaFull(new Error('No such container'))).toBe(false);
  expect(StorageLimitError.quotaFull(50, err.message).message).toMatch(
    /^the sandbox's storage quota \(storage_mb = 50 plus the verifier's headroom\) is full/,
  );
});
