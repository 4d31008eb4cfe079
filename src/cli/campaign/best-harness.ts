/** Where a campaign's best harness is, as `status` says it: stored by id in the campaign's store; `export` writes it out. */
import path from 'node:path';
import { storeFile } from '../../campaign/layout';

export interface BestHarness {
  candidateId: string;
  /** The campaign folder whose store.sqlite holds the harness files. */
  storedIn: string;
  /** The command that writes it as a plain harness folder with CARD.md. */
  export: string;
}

export function bestHarness(
  campaignArg: string,
  campaignDir: string | null,
  candidateId: string | null,
): BestHarness | null {
  if (!candidateId || !campaignDir) return null;
  const out = path.join(path.dirname(path.dirname(campaignDir)), `best-harness-${path.basename(campaignDir)}`);
  return { candidateId, storedIn: storeFile(campaignDir), export: `autoagent export ${campaignArg} --out ${out}` };
}

export const bestHarnessLines = (b: BestHarness | null): string[] =>
  b ? [`best harness ${b.candidateId}, stored in ${b.storedIn}`, `             write it out: ${b.export}`] : [];
