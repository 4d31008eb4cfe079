/**
 * Replays recorded campaign histories (test/fixtures/histories/*.json, recorded from real runs by
 * `RECORD_HISTORIES=1 npx jest test/temporal/campaign.test.ts test/temporal/evaluation-policies.test.ts`)
 * against the current workflow code: a non-deterministic change to a workflow fails here before it can
 * break running campaigns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from './support/env';

const DIR = path.join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('history fixtures are present (campaign, children, continue-as-new)', () => {
  expect(files.some((f) => f.startsWith('small--campaign_small.json'))).toBe(true);
  expect(files.some((f) => f.includes('gen-1'))).toBe(true);
  expect(files.some((f) => f.includes('holdout'))).toBe(true);
  expect(files.some((f) => f.startsWith('can--'))).toBe(true);
  // A racing generation: its policy cancels trials (recorded by evaluation-policies.test.ts).
  expect(files.some((f) => f.startsWith('racing--') && f.includes('gen-1'))).toBe(true);
});

test.each(files)('replays %s deterministically', async (file) => {
  const fixture = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as { workflowId: string; history: unknown };
  const history = historyFromJSON(fixture.history);
  expect(history.events?.length ?? 0).toBeGreaterThan(10);
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, fixture.workflowId);
});
