/** findTampering: which filesystem changes of the agent phase count as tampering with the verifier. */
import { findTampering } from '../../../src/verifier/tampering';
import type { FsChange } from '../../../src/sandbox/types';

const m = (path: string): FsChange => ({ path, kind: 'modified' });
const a = (path: string): FsChange => ({ path, kind: 'added' });
const d = (path: string): FsChange => ({ path, kind: 'deleted' });

test('a replaced tool is reported once: its parent folders are explained by it', () => {
  expect(findTampering([m('/usr'), m('/usr/bin'), m('/usr/bin/grep')], ['/app'])).toEqual(['/usr/bin/grep (modified)']);
});

test('additions and deletions under protected roots count: shadowing on PATH, preload hooks, removed files', () => {
  const changes = [
    m('/usr'),
    m('/usr/local'),
    m('/usr/local/bin'),
    a('/usr/local/bin/grep'),
    m('/etc'),
    a('/etc/ld.so.preload'),
    d('/etc/debian_version'),
    a('/lib/x.so'),
  ];
  expect(findTampering(changes, [])).toEqual([
    '/etc/debian_version (deleted)',
    '/etc/ld.so.preload (added)',
    '/lib/x.so (added)',
    '/usr/local/bin/grep (added)',
  ]);
});

test("work outside the protected roots is the agent's: workdir, /tmp, /root, /home, /var, /opt", () => {
  const changes = [
    m('/app'),
    a('/app/out.txt'),
    a('/tmp/x'),
    m('/root'),
    a('/root/.bash_history'),
    a('/home/u/f'),
    a('/var/tmp/v'),
    a('/var/log/l'),
    a('/opt/tool'),
  ];
  expect(findTampering(changes, ['/app'])).toEqual([]);
});

test('the work area (workdir, [agent].writable_paths) may lie under a protected root', () => {
  const changes = [
    m('/usr'),
    m('/usr/src'),
    a('/usr/src/app/main.c'),
    m('/usr/local'),
    a('/usr/local/bin/mytool'),
    m('/usr/bin/grep'),
  ];
  expect(findTampering(changes, ['/usr/src/app', '/usr/local'])).toEqual(['/usr/bin/grep (modified)']);
});

test('a work-area prefix does not cover a sibling with the same prefix', () => {
  expect(findTampering([a('/usr/local-evil/x')], ['/usr/local'])).toEqual(['/usr/local-evil/x (added)']);
});

test("mount points Docker itself creates are not the agent's doing", () => {
  expect(
    findTampering([m('/usr'), m('/usr/sbin'), a('/usr/sbin/docker-init'), a('/etc/hosts'), a('/etc/resolv.conf')], []),
  ).toEqual([]);
});

test('a protected folder changed by itself (no change below it) is reported: e.g. chmod /usr/bin', () => {
  expect(findTampering([m('/usr'), m('/usr/bin')], [])).toEqual(['/usr/bin (modified)']);
});

test('hook points outside the protected roots count: pytest config above /tests, Python user-site hooks', () => {
  const changes = [
    a('/conftest.py'),
    a('/pytest.ini'),
    a('/root/.local/lib/python3.11/site-packages/evil.pth'),
    a('/home/u/.local/lib/python3.12/site-packages/usercustomize.py'),
    a('/root/.local/lib/python3.11/site-packages/pkg/mod.py'),
    a('/app/conftest.py'),
    a('/out.txt'),
  ];
  expect(findTampering(changes, ['/app'])).toEqual([
    '/conftest.py (added)',
    '/home/u/.local/lib/python3.12/site-packages/usercustomize.py (added)',
    '/pytest.ini (added)',
    '/root/.local/lib/python3.11/site-packages/evil.pth (added)',
  ]);
});
