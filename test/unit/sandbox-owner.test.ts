/** Who reaps a sandbox: only a process of the same owner host (the hostname, or AUTOAGENT_OWNER_HOST). */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { OWNER_LABEL, ownerGone, ownerLabels } from '../../src/sandbox/owner';

/** Labels of a process that has exited: its pid is free. */
function deadOwner(host: string): Record<string, string> {
  const child = spawnSync('true');
  return { [OWNER_LABEL.pid]: String(child.pid), [OWNER_LABEL.host]: host };
}

afterEach(() => {
  delete process.env.AUTOAGENT_OWNER_HOST;
});

test('a dead owner of this host is gone; one of another host is not ours to judge', () => {
  expect(ownerLabels()[OWNER_LABEL.host]).toBe(os.hostname());
  expect(ownerGone(deadOwner(os.hostname()))).toBe(true);
  expect(ownerGone(deadOwner('another-machine'))).toBe(false);
  expect(ownerGone(ownerLabels())).toBe(false); // this very process
});

test('AUTOAGENT_OWNER_HOST names the host: processes given different names never reap each other', () => {
  process.env.AUTOAGENT_OWNER_HOST = 'crash-test-1';
  expect(ownerLabels()[OWNER_LABEL.host]).toBe('crash-test-1');
  expect(ownerGone(deadOwner('crash-test-1'))).toBe(true);
  expect(ownerGone(deadOwner(os.hostname()))).toBe(false);
  delete process.env.AUTOAGENT_OWNER_HOST;
  expect(ownerGone(deadOwner('crash-test-1'))).toBe(false);
});
