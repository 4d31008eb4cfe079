/**
 * Deterministic trial ids: the same task (name and content), agent, model and repeat always give the same
 * id, which makes trial activities idempotent (a retried activity finds or overwrites its own folder) and
 * keeps the id readable: `<task>-<agentKey short>-r<repeat>-<hash8>`.
 */
import { createHash } from 'node:crypto';
import { slug } from '../util/slug';

export interface TrialIdParts {
  taskHash: string;
  /** Harness id, or 'oracle' | 'noop'. */
  agentKey: string;
  model: string | null;
  repeat: number;
  /**
   * The task's name: the readable prefix (default: the first 8 hex of the task hash) and part of the hash,
   * so two byte-identical tasks under different names (a train task and its holdout copy) never share an id.
   */
  taskName?: string;
}

export function trialIdFor(parts: TrialIdParts): string {
  const identity: unknown[] = [parts.taskHash, parts.agentKey, parts.model ?? '', parts.repeat];
  if (parts.taskName !== undefined) identity.push(parts.taskName);
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 8);
  const task = slug(parts.taskName ?? parts.taskHash.slice(0, 8), 40, 'x');
  const agent = slug(parts.agentKey.replace(/^h-/, ''), 10, 'x');
  return `${task}-${agent}-r${parts.repeat}-${hash}`;
}
