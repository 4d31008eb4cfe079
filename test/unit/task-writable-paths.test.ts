/** [agent].writable_paths: parsed, defaulted, and a bad entry is an error naming file and field. */
import { parseTaskToml } from '../../src/tasks/config';

test('writable_paths defaults to none and keeps what the task declares', () => {
  expect(parseTaskToml('version = "1.0"\n', 't/task.toml').agent.writablePaths).toEqual([]);
  expect(
    parseTaskToml('[agent]\nwritable_paths = ["/usr/local", "/etc/myapp"]\n', 't/task.toml').agent.writablePaths,
  ).toEqual(['/usr/local', '/etc/myapp']);
});

test('a relative path is refused naming the field', () => {
  expect(() => parseTaskToml('[agent]\nwritable_paths = ["usr/local"]\n', 't/task.toml')).toThrow(
    /t\/task.toml: \[agent\]\.writable_paths\[0\]: must be an absolute path/,
  );
});
