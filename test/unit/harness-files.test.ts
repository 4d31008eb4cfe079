/** Harness folder helpers and diff: copy, materialize, content addressing, unified diff. */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { harnessDiff } from '../../src/harness/diff';
import { copyHarness, writeHarnessFiles } from '../../src/harness/files';
import { buildHarness, loadHarness } from '../../src/harness/load';
import { useTmpDir } from '../support/tmp-dir';

const FULL = join(__dirname, '..', 'fixtures', 'harnesses', 'full');

const tmp = useTmpDir('harness-files-');

describe('copyHarness', () => {
  test('copies every file, keeps the executable bit, and the copy has the same id', async () => {
    const dest = join(tmp(), 'copy');
    await copyHarness(FULL, dest);
    const [a, b] = await Promise.all([loadHarness(FULL), loadHarness(dest)]);
    expect(b.id).toBe(a.id);
    expect(b.files).toEqual(a.files);
    expect((await stat(join(dest, 'tools', 'count_lines.sh'))).mode & 0o111).not.toBe(0);
  });

  test('refuses a non-empty destination', async () => {
    await writeFile(join(tmp(), 'junk'), 'x');
    await expect(copyHarness(FULL, tmp())).rejects.toThrow('destination folder is not empty');
  });
});

describe('writeHarnessFiles', () => {
  test('materializes a files record that loads to the same harness id', async () => {
    const original = await loadHarness(FULL);
    const dir = join(tmp(), 'materialized');
    await writeHarnessFiles(dir, original.files);
    const again = await loadHarness(dir);
    expect(again.id).toBe(original.id);
    expect((await stat(join(dir, 'tools', 'count_lines.sh'))).mode & 0o111).not.toBe(0);
  });

  test.each(['../escape.md', '/abs.md', 'a/../../b.md'])('rejects path %s', async (p) => {
    await expect(writeHarnessFiles(join(tmp(), 'h'), { [p]: 'x' })).rejects.toThrow(
      'path must be relative and inside the harness folder',
    );
  });

  test('buildHarness on an in-memory record equals loading from disk', async () => {
    const fromDisk = await loadHarness(FULL);
    const inMemory = buildHarness(FULL, fromDisk.files);
    expect(inMemory).toEqual(fromDisk);
  });
});

describe('harnessDiff', () => {
  test('identical harnesses: "(no changes)"', async () => {
    const a = await loadHarness(FULL);
    expect(harnessDiff(a, a)).toBe('(no changes)');
  });

  test('edits, additions and deletions as a unified diff', async () => {
    const a = await loadHarness(FULL);
    const dir = join(tmp(), 'edited');
    await copyHarness(FULL, dir);
    const sys = await readFile(join(dir, 'prompts', 'rules.md'), 'utf8');
    await writeFile(
      join(dir, 'prompts', 'rules.md'),
      sys.replace('Inspect before changing anything', 'Read the README first'),
    );
    await writeFile(join(dir, 'NOTES.md'), 'new file\n');
    await rm(join(dir, 'tools'), { recursive: true });
    await writeFile(
      join(dir, 'agents', 'verifier.md'),
      (await readFile(join(dir, 'agents', 'verifier.md'), 'utf8')).replace(', count_lines', ''),
    );
    const b = await loadHarness(dir);
    const d = harnessDiff(a, b);
    expect(d).toContain('--- a/prompts/rules.md\n+++ b/prompts/rules.md\n@@');
    expect(d).toContain('\n-- Inspect before changing anything; verify by running things.\n');
    expect(d).toContain('\n+- Read the README first; verify by running things.\n');
    expect(d).toContain('--- /dev/null\n+++ b/NOTES.md\n');
    expect(d).toContain('--- a/tools/count_lines.yaml\n+++ /dev/null\n');
    expect(d).not.toContain('system.md');
    expect(d).not.toMatch(/^=+$/m);
  });
});
