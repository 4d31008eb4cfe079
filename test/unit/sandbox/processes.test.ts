/** parseStatLines: /proc/<pid>/stat lines into processes, names with spaces and parentheses included. */
import { keepAliveRuns, parseStatLines, settledProcesses } from '../../../src/sandbox/processes';

test('pid, ppid and comm come out of stat lines; odd names survive; junk lines are skipped', () => {
  const text = ['1 (docker-init) S 0 1 1 0', '8 (sh) S 1 8 8 0', '42 (evil) (x) R 1 42 42 0', 'garbage', ''].join('\n');
  expect(parseStatLines(text)).toEqual([
    { pid: 1, ppid: 0, comm: 'docker-init' },
    { pid: 8, ppid: 1, comm: 'sh' },
    { pid: 42, ppid: 1, comm: 'evil) (x' },
  ]);
});

describe('a container settles once its entrypoint hands over to the keep-alive', () => {
  const init = { pid: 1, ppid: 0, comm: 'docker-init' };
  const entrypoint = { pid: 7, ppid: 1, comm: 'entrypoint.sh' };
  const keepAliveShell = { pid: 7, ppid: 1, comm: 'sh' };
  const sleep = { pid: 9, ppid: 7, comm: 'sleep' };

  test('the keep-alive is a sleep of a sh under init; an exec of the same names is not', () => {
    expect(keepAliveRuns([init, keepAliveShell, sleep])).toBe(true);
    expect(keepAliveRuns([init, entrypoint, { ...sleep, comm: 'python3' }])).toBe(false);
    expect(keepAliveRuns([init, { pid: 20, ppid: 0, comm: 'sh' }, { pid: 21, ppid: 20, comm: 'sleep' }])).toBe(false);
  });

  test('polled until the keep-alive runs, or until the deadline', async () => {
    const snapshots = [
      [init, entrypoint],
      [init, entrypoint],
      [init, keepAliveShell, sleep],
    ];
    let calls = 0;
    const procs = await settledProcesses(async () => snapshots[Math.min(calls++, 2)]!, 5_000, 1);
    expect(procs).toEqual([init, keepAliveShell, sleep]);
    expect(calls).toBe(3);
    const never = await settledProcesses(async () => [init, entrypoint], 30, 5);
    expect(never).toEqual([init, entrypoint]);
  });
});
