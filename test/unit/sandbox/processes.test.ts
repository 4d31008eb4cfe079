/** parseStatLines: /proc/<pid>/stat lines into processes, names with spaces and parentheses included. */
import { parseStatLines } from '../../../src/sandbox/processes';

test('pid, ppid and comm come out of stat lines; odd names survive; junk lines are skipped', () => {
  const text = ['1 (docker-init) S 0 1 1 0', '8 (sh) S 1 8 8 0', '42 (evil) (x) R 1 42 42 0', 'garbage', ''].join('\n');
  expect(parseStatLines(text)).toEqual([
    { pid: 1, ppid: 0, comm: 'docker-init' },
    { pid: 8, ppid: 1, comm: 'sh' },
    { pid: 42, ppid: 1, comm: 'evil) (x' },
  ]);
});
