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

/** Default cap on one trial's gzipped payload in the offline report. */
export const DEFAULT_MAX_INLINE_BYTES = 2 * 1024 * 1024;

function readText(store: CampaignStore, hash: string | null): string | null {
  if (hash === null) return null;
  try {
    return store.getArtifactText(hash);
  } catch {
    return null;
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { unparseable: text.slice(0, 10_000) };
  }
}

export function trialPayload(store: CampaignStore, t: StoredTrial): TrialPayload {
  return {
    trialId: t.trialId,
    task: t.task,
    reward: t.reward,
    error: t.error,
    stopReason: t.result.stopReason,
    verifier: t.result.verifier,
    verifierLog: readText(store, t.verifierLogHash),
    trajectory: parseJson(readText(store, t.trajectoryHash)),
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
export function packTrajectories(
  store: CampaignStore,
  trials: readonly StoredTrial[],
  maxBytes = DEFAULT_MAX_INLINE_BYTES,
): PackedTrajectories {
  const out: PackedTrajectories = { packed: {}, rawBytes: 0, gzBytes: 0, omitted: 0 };
  for (const t of trials) {
    const payload = trialPayload(store, t);
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
    out.packed[t.trialId] = gz.toString('base64');
  }
  return out;
}
