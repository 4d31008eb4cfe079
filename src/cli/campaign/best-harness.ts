/** Where a campaign's best harness is, as `status` says it: stored by id in the campaign's store; `export` writes it out. */
import path from 'node:path';
import { storeFile } from '../../campaign/layout';
import { redactUrl, storeLocationFromEnv } from '../../store/records/url';

export interface BestHarness {
  candidateId: string;
  /** The records store that holds it: the campaign folder's store.sqlite, or AUTOAGENT_STORE (password hidden). */
  storedIn: string;
  /** The command that writes it as a plain harness folder with CARD.md. */
  export: string;
}

export function bestHarness(
  campaignArg: string,
  campaignDir: string | null,
  candidateId: string | null,
  env: Record<string, string | undefined> = process.env,
): BestHarness | null {
  if (!candidateId || !campaignDir) return null;
  const out = path.join(path.dirname(path.dirname(campaignDir)), `best-harness-${path.basename(campaignDir)}`);
  const loc = storeLocationFromEnv(storeFile(campaignDir), env);
  const storedIn = loc.kind === 'sqlite' ? loc.file : redactUrl(loc.url);
  return { candidateId, storedIn, export: `autoagent export ${campaignArg} --out ${out}` };
}

export const bestHarnessLines = (b: BestHarness | null): string[] =>
  b ? [`best harness ${b.candidateId}, stored in ${b.storedIn}`, `             write it out: ${b.export}`] : [];
