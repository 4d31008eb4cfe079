/**
 * `generateReport`: one campaign folder → one self-contained HTML file (data + every trial's trajectory,
 * gzipped, inline). Returns what it wrote and how long each part took, for the CLI and the perf benchmark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { campaignStoreExists, openStore } from '../store/store';
import type { CampaignStore } from '../store/store';
import { extractReportData, readSnapshot, resolveCampaign } from './data';
import { ReportError } from './errors';
import { renderPage } from './html';
import { DEFAULT_MAX_INLINE_BYTES, packTrajectories } from './trajectories';
import { reportFile, STORE_FILE, storeFile } from '../campaign/layout';

export interface GenerateOptions {
  /** Output file; default `<dir>/report.html`. */
  out?: string;
  campaign?: string;
  /** Cap on one trial's gzipped payload; larger trajectories are left out with a note. */
  maxInlineBytes?: number;
  now?: Date;
}

export interface GenerateResult {
  file: string;
  campaign: string;
  bytes: number;
  trials: number;
  candidates: number;
  /** Trajectory payloads: raw JSON bytes, gzipped bytes, and how many were left out over the cap. */
  trajectories: { rawBytes: number; gzBytes: number; omitted: number };
  ms: { data: number; trajectories: number; html: number; total: number };
}

/**
 * Opens the store of an existing campaign folder; refuses a folder without one (never creates it). With
 * AUTOAGENT_STORE set the records live elsewhere (PostgreSQL): the folder need not exist.
 */
export async function openCampaignStore(dir: string, env = process.env): Promise<CampaignStore> {
  const file = storeFile(path.resolve(dir));
  if (!campaignStoreExists(dir, env))
    throw new ReportError(
      `no campaign store here (expected ${STORE_FILE}); pass a campaign folder`,
      file,
      'campaign-dir',
    );
  return openStore(dir, { env });
}

export async function generateReport(dir: string, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const t0 = performance.now();
  const store = await openCampaignStore(dir);
  try {
    const snap = await readSnapshot(store, await resolveCampaign(store, opts.campaign));
    const data = extractReportData(snap, { now: opts.now ?? new Date() });
    const t1 = performance.now();
    const packed = await packTrajectories(store, snap.trials, opts.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES);
    const t2 = performance.now();
    const html = renderPage({ data, mode: 'report', trajectories: packed.packed });
    const file = path.resolve(opts.out ?? reportFile(dir));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, html);
    const t3 = performance.now();
    return {
      file,
      campaign: snap.campaign,
      bytes: Buffer.byteLength(html),
      trials: data.trials.length,
      candidates: data.candidates.length,
      trajectories: { rawBytes: packed.rawBytes, gzBytes: packed.gzBytes, omitted: packed.omitted },
      ms: { data: t1 - t0, trajectories: t2 - t1, html: t3 - t2, total: t3 - t0 },
    };
  } finally {
    await store.close();
  }
}
