/**
 * Store activities the campaign workflow calls on the `autoagent` queue: candidate records (with the
 * harness files and the diff against the parent — stored once, when it was proposed — for the experiment
 * log) and campaign events.
 */
import type { CampaignStore } from '../store/store';
import type { RecordCandidatesInput, RecordEventInput } from '../workflows/types';
import { loadHarnessCached } from './harness-store';
import { harnessDirFor } from '../store/references';

export function createStoreActivities(storeFor: (dir: string) => Promise<CampaignStore>) {
  const harnessOf = async (store: CampaignStore, dir: string, id: string) =>
    loadHarnessCached(await harnessDirFor(store, dir, id)).catch(() => null);

  return {
    async recordCandidates(input: RecordCandidatesInput): Promise<number> {
      const store = await storeFor(input.campaignDir);
      for (const rec of input.records) {
        const child = rec.status === 'invalid' ? null : await harnessOf(store, input.campaignDir, rec.id);
        await store.recordCandidate(rec, {
          campaign: input.campaign,
          harnessFiles: child?.files,
          diffHash: rec.diffHash,
        });
      }
      return input.records.length;
    },
    async recordEvent(input: RecordEventInput): Promise<number> {
      return (await storeFor(input.campaignDir)).appendEvent(input.campaign, input.kind, input.data ?? {});
    },
  };
}
