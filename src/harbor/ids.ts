/**
 * Identifiers in Harbor's documents: a deterministic UUID for a trial or job (so writing the same record
 * twice gives the same file), and the `provider/model` split Harbor records as ModelInfo.
 */
import { createHash } from 'node:crypto';

/** A UUID (version 5 layout) derived from `text`: stable across runs, distinct per input. */
export function uuidFor(text: string): string {
  const h = createHash('sha1').update(`autoagent:${text}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Harbor's ModelInfo: `anthropic/claude-x` → {name: claude-x, provider: anthropic}; bare Claude names are Anthropic's. */
export function modelInfo(model: string | null): { name: string; provider: string | null } | null {
  if (!model) return null;
  const slash = model.indexOf('/');
  if (slash > 0) return { name: model.slice(slash + 1), provider: model.slice(0, slash) };
  if (model === 'local') return { name: model, provider: 'local' };
  return { name: model, provider: model.startsWith('claude') ? 'anthropic' : null };
}

/** Harbor's agent names for our built-in kinds (its no-op agent is `nop`). */
export function harborAgentName(kind: 'harness' | 'oracle' | 'noop'): string {
  return kind === 'harness' ? 'autoagent-harness' : kind === 'noop' ? 'nop' : 'oracle';
}
