/** Trial ids are deterministic, readable and differ whenever any identifying part differs. */
import { trialIdFor } from '../../../src/trial/trial-id';

const base = {
  taskHash: 'a'.repeat(64),
  agentKey: 'h-0123456789abcdef',
  model: 'claude-x',
  repeat: 0,
  taskName: 'CSV Sales/Summary',
};

test('same parts, same id; readable prefix', () => {
  expect(trialIdFor(base)).toBe(trialIdFor({ ...base }));
  expect(trialIdFor(base)).toMatch(/^csv-sales-summary-0123456789-r0-[0-9a-f]{8}$/);
  expect(trialIdFor({ ...base, agentKey: 'oracle', model: null, taskName: undefined })).toMatch(
    /^aaaaaaaa-oracle-r0-[0-9a-f]{8}$/,
  );
});

test.each([
  ['taskHash', { taskHash: 'b'.repeat(64) }],
  ['agentKey', { agentKey: 'h-fedcba9876543210' }],
  ['model', { model: 'claude-y' }],
  ['repeat', { repeat: 1 }],
  // A byte copy of a task under another name (even one whose slug is the same) is another experiment.
  ['taskName', { taskName: 'csv sales summary' }],
])('a different %s gives a different id', (_name, change) => {
  expect(trialIdFor({ ...base, ...change })).not.toBe(trialIdFor(base));
});
