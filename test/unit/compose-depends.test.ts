/** `main`'s depends_on in a task's docker-compose.yaml: the forms compose reads, and clear errors. */
import { parseDependsOn } from '../../src/sandbox/compose-depends';

test('a list means started; a map names each condition (started by default)', () => {
  expect(parseDependsOn(undefined)).toEqual([]);
  expect(parseDependsOn(['db', 'cache'])).toEqual([
    { service: 'db', condition: 'service_started' },
    { service: 'cache', condition: 'service_started' },
  ]);
  expect(
    parseDependsOn({
      db: { condition: 'service_healthy' },
      seed: { condition: 'service_completed_successfully' },
      x: {},
    }),
  ).toEqual([
    { service: 'db', condition: 'service_healthy' },
    { service: 'seed', condition: 'service_completed_successfully' },
    { service: 'x', condition: 'service_started' },
  ]);
});

test('anything else is an error text naming what is wrong', () => {
  expect(parseDependsOn({ db: { condition: 'service_ready' } })).toBe(
    'db.condition: expected one of service_started, service_healthy, service_completed_successfully, got "service_ready"',
  );
  expect(parseDependsOn('db')).toBe('expected a list or a map of services');
  expect(parseDependsOn([1])).toBe('expected a list of service names');
});
