/**
 * Workflow-side view of systemic model faults: which activity failures are one (by their stable failure
 * type, src/workflows/error-names.ts), and which of several decides what the campaign does — a credential
 * or configuration fault pauses it, so it outranks an outage, which only waits for `retry-generation`.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { llmFaultKindOf } from './error-names';
import type { SystemicFault } from './types';

/** Marks the workflow code that treats systemic faults as faults (not invalid proposals); see generation.ts. */
export const SYSTEMIC_FAULTS_PATCH = 'systemic-model-faults';

/** The systemic model fault an activity failed with, or null for any other failure. */
export function systemicFaultOf(err: unknown): SystemicFault | null {
  if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure)) return null;
  const kind = llmFaultKindOf(err.cause.type);
  return kind ? { kind, message: err.cause.message } : null;
}

const RANK: Record<SystemicFault['kind'], number> = { outage: 1, configuration: 2, credential: 3 };

/** The fault that decides: the first of the highest rank. */
export function worstFault(
  a: SystemicFault | null | undefined,
  b: SystemicFault | null | undefined,
): SystemicFault | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return RANK[b.kind] > RANK[a.kind] ? b : a;
}

/** Credential and configuration faults cannot heal by waiting: the campaign pauses until someone fixes them. */
export const pausesCampaign = (f: SystemicFault | null | undefined): boolean =>
  f?.kind === 'credential' || f?.kind === 'configuration';
