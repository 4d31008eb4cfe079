import { VERIFIER_HEADROOM_MB, isStorageOptRefusal, quotaKindOf, storageOptSize } from '../../../src/sandbox/storage-quota';

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
  expect(isStorageOptRefusal(new Error('--storage-opt is supported only for overlay over xfs with \'pquota\' mount option'))).toBe(true);
  expect(isStorageOptRefusal(new Error('No such image: x'))).toBe(false);
});
