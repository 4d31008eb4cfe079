/**
 * `autoagent export <campaign> [--candidate ID] --out DIR`: a candidate's harness (the campaign's best by
 * default) written as a plain harness folder — loaded back with the real loader, so `autoagent eval
 * --harness DIR` runs it unchanged and it keeps the candidate's id — plus CARD.md. Refuses a non-empty DIR:
 * nothing already there is overwritten.
 */
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffFiles } from '../harness/diff';
import { writeHarnessFiles } from '../harness/files';
import { loadHarness } from '../harness/load';
import { HARNESS_CARD } from '../harness/files';
import type { ReportData } from '../report/types';
import type { CampaignStore } from '../store/store';
import { lineage, renderCard } from './card';
import { ExportError } from './errors';

export interface HarnessExport {
  candidateId: string;
  outDir: string;
  isBest: boolean;
}

export function assertEmptyOut(outDir: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new ExportError(
      `${outDir}: the folder is not empty; export writes into a new or empty folder (nothing is overwritten)`,
    );
  }
}

async function filesOf(store: CampaignStore, id: string): Promise<Record<string, string>> {
  const c = await store.getCandidate(id);
  if (!c?.harnessHash)
    throw new ExportError(`${store.file}: candidate ${id} has no stored harness (an invalid proposal keeps none)`);
  return store.getHarness(c.harnessHash);
}

function pickCandidate(data: ReportData, requested: string | undefined): string {
  if (requested !== undefined) {
    if (!data.candidates.some((v) => v.id === requested)) {
      throw new ExportError(
        `campaign ${data.campaign} has no candidate ${requested} (has: ${data.candidates.map((v) => v.id).join(', ') || 'none'})`,
      );
    }
    return requested;
  }
  if (!data.summary.bestId)
    throw new ExportError(
      `campaign ${data.campaign} has no scored candidate yet: nothing to export (pass --candidate ID for another one)`,
    );
  return data.summary.bestId;
}

export async function exportHarness(o: {
  store: CampaignStore;
  data: ReportData;
  candidateId?: string;
  outDir: string;
  now?: Date;
}): Promise<HarnessExport> {
  const candidateId = pickCandidate(o.data, o.candidateId);
  assertEmptyOut(o.outDir);
  const files = await filesOf(o.store, candidateId);
  const seed = lineage(o.data.candidates, candidateId)[0];
  const diff = seed && seed.id !== candidateId ? diffFiles(await filesOf(o.store, seed.id), files) : '';
  await writeHarnessFiles(o.outDir, files);
  const loaded = await loadHarness(o.outDir); // the folder must be a harness the runtime takes as it is
  if (loaded.id !== candidateId)
    throw new ExportError(
      `${o.outDir}: the written harness has id ${loaded.id}, not ${candidateId} (the stored files do not match their id)`,
    );
  const card = renderCard({ data: o.data, candidateId, diffAgainstSeed: diff, exportedAt: o.now ?? new Date() });
  await writeFile(path.join(o.outDir, HARNESS_CARD), card, 'utf8');
  return { candidateId, outDir: o.outDir, isBest: o.data.summary.bestId === candidateId };
}
