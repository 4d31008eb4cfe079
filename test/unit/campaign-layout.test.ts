/** The on-disk names of a campaign folder are a contract with folders written before: they must not drift. */
import * as layout from '../../src/campaign/layout';

test('a campaign folder keeps its names', () => {
  const dir = '/c/.autoagent/demo';
  expect(layout.campaignDirFor('/c/campaign.yaml', 'demo')).toBe(dir);
  expect(layout.campaignsRootFor('/c/campaign.yaml')).toBe('/c/.autoagent');
  expect(layout.storeFile(dir)).toBe(`${dir}/store.sqlite`);
  expect(layout.artifactFile(dir, 'abcdef')).toBe(`${dir}/artifacts/ab/abcdef`);
  expect(layout.harnessDir(dir, 'h1')).toBe(`${dir}/harnesses/h1`);
  expect(layout.proposalMetaDir(dir, 'g1-a0', 2)).toBe(`${dir}/proposals/g1-a0/slot-2-meta`);
  expect(layout.trialsDir(dir)).toBe(`${dir}/trials`);
  expect(layout.temporalDbFile(dir)).toBe(`${dir}/temporal.sqlite`);
  expect(layout.serverFile(dir)).toBe(`${dir}/server.json`);
  expect(layout.startLockFile(dir)).toBe(`${dir}/run.lock`);
  expect(layout.reportFile(dir)).toBe(`${dir}/report.html`);
});
