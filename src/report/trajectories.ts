/**
 * Per-trial payloads for the trajectory viewer (trial record + ATIF trajectory + verifier output), read
 * from the store on demand. For the offline report each payload is gzipped and base64'd so 10,000
 * trajectories fit in one file; the browser inflates one with DecompressionStream when it is opened.
 * A payload over the size cap is replaced by a note (the live `autoagent ui` view still serves it whole).
 * Everything is passed through the API-key redactor on the way out, whatever the recorder already did.
 */
import { gzipSync } from 'node:zlib';
import { redactString } from '../agent/atif/redact';
import type { StoredTrial } from '../store/rows';
import type { CampaignStore } from '../store/store';
import type { TrialPayload } from './types';
import { mapPool } from '../util/pool';

/** Default cap on one trial's gzipped payload in the offline report. */
export const DEFAULT_MAX_INLINE_BYTES = 2 * 1024 * 1024;

/** Artifacts read at once when packing (an S3 store answers each GET in milliseconds, not microseconds). */
const READ_CONCURRENCY = 16;

async function readText(store: CampaignStore, hash: string | null): Promise<string | null> {
  if (hash === null) return null;
  return store.getArtifactText(hash).catch(() => null);
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { unparseable: text.slice(0, 10_000) };
  }
}

export async function trialPayload(store: CampaignStore, t: StoredTrial): Promise<TrialPayload> {
  const [verifierLog, trajectory] = await Promise.all([
    readText(store, t.verifierLogHash),
    readText(store, t.trajectoryHash),
  ]);
  return {
    trialId: t.trialId,
    task: t.task,
    reward: t.reward,
    error: t.error,
    stopReason: t.result.stopReason,
    verifier: t.result.verifier,
    verifierLog,
    trajectory: parseJson(trajectory),
    omitted: null,
  };
}

/** The payload as redacted JSON text (what `/trajectory/<id>` serves). */
export const payloadJson = (p: TrialPayload): string => redactString(JSON.stringify(p));

export interface PackedTrajectories {
  /** trial id → base64 of gzipped payload JSON. */
  packed: Record<string, string>;
  rawBytes: number;
  gzBytes: number;
  omitted: number;
}

/** Gzip + base64 every trial's payload, replacing the trajectory of any payload over `maxBytes` by a note. */
export async function packTrajectories(
  store: CampaignStore,
  trials: readonly StoredTrial[],
  maxBytes = DEFAULT_MAX_INLINE_BYTES,
): Promise<PackedTrajectories> {
  const out: PackedTrajectories = { packed: {}, rawBytes: 0, gzBytes: 0, omitted: 0 };
  // Each payload is packed as soon as it is read: only the gzipped text of 10,000 trials is held, never
  // their parsed trajectories all at once.
  const packed = await mapPool(trials, READ_CONCURRENCY, async (t) => {
    const payload = await trialPayload(store, t);
    let json = payloadJson(payload);
    let gz = gzipSync(json);
    if (gz.length > maxBytes) {
      const note = `trajectory too large to inline (${(gz.length / 1048576).toFixed(1)} MB gzipped, cap ${(maxBytes / 1048576).toFixed(1)} MB); open it with \`autoagent ui\``;
      json = payloadJson({ ...payload, trajectory: null, verifierLog: null, omitted: note });
      gz = gzipSync(json);
      out.omitted++;
    }
    out.rawBytes += Buffer.byteLength(json);
    out.gzBytes += gz.length;
    return gz.toString('base64');
  });
  // In the trials' order, whatever order the reads finished in (the page is the same bytes every time).
  for (const [i, t] of trials.entries()) out.packed[t.trialId] = packed[i] as string;
  return out;
}
