/** `status` says where the best harness is stored: the campaign folder's SQLite file, or AUTOAGENT_STORE. */
import { bestHarness } from '../../src/cli/campaign/best-harness';

test('embedded: the store.sqlite of the campaign folder; with AUTOAGENT_STORE: its URL, password hidden', () => {
  expect(bestHarness('c.yaml', '/p/.autoagent/demo', 'h-1', {})).toEqual({
    candidateId: 'h-1',
    storedIn: '/p/.autoagent/demo/store.sqlite',
    export: 'autoagent export c.yaml --out /p/best-harness-demo',
  });
  expect(
    bestHarness('c.yaml', '/p/.autoagent/demo', 'h-1', { AUTOAGENT_STORE: 'postgres://aa:s3cret@db:5432/aa' })
      ?.storedIn,
  ).toBe('postgres://aa:***@db:5432/aa');
  expect(bestHarness('c.yaml', '/p/.autoagent/demo', null, {})).toBeNull();
});
