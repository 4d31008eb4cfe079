/**
 * The embedded `run`'s start lock: two `run`s of one campaign at the same moment must not both start a
 * Temporal dev server on one temporal.sqlite. The second is told who holds the campaign; a lock left by a
 * killed run (its pid gone) is taken over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireStartLock, CampaignBusyError, lockHolder } from '../../src/cli/campaign/start-lock';
import { OWNER_LABEL } from '../../src/sandbox/owner';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'aa-start-lock-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('start lock', () => {
  it('is held by one run at a time; the second is told the holder, with a clear message', () => {
    const dir = path.join(tmp(), '.autoagent', 'demo');
    const release = acquireStartLock(dir, 'demo');
    expect(lockHolder(dir)).toBe(process.pid);
    let err: unknown;
    try {
      acquireStartLock(dir, 'demo');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CampaignBusyError);
    expect((err as Error).message).toBe(
      `campaign demo is already being started or running (by pid ${process.pid}); run the same command again to attach to it`,
    );
    release();
    expect(existsSync(path.join(dir, 'run.lock'))).toBe(false);
    acquireStartLock(dir, 'demo')();
  });

  it('takes over a lock whose holder was killed (or is unreadable)', () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(
      path.join(dir, 'run.lock'),
      JSON.stringify({ [OWNER_LABEL.pid]: dead.stdout, [OWNER_LABEL.host]: os.hostname() }),
    );
    expect(lockHolder(dir)).toBeNull();
    acquireStartLock(dir, 'demo')();
    writeFileSync(path.join(dir, 'run.lock'), 'not json');
    acquireStartLock(dir, 'demo')();
  });
});
