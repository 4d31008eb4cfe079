/**
 * The structured form of a trial's first failure (`{phase, type, message}`, like Harbor's ExceptionInfo),
 * derived from what the pipeline already records as one-line `<ErrorName>: <message>` texts. Only task-level
 * failures ever reach a result: systemic faults are thrown before a result exists.
 */
import type { TrialFailure, TrialPhase } from './types';

const NAMED = /^([A-Z][A-Za-z0-9]*(?:Error|Exception)): ([\s\S]*)$/;

/** Splits `<Name>: <message>`; texts without an error name get `fallbackType`. */
function failureFromText(phase: TrialPhase, text: string, fallbackType: string): TrialFailure {
  const m = NAMED.exec(text);
  return m ? { phase, type: m[1] as string, message: m[2] as string } : { phase, type: fallbackType, message: text };
}

export interface FailureSources {
  /** A phase that threw (bad image, sandbox start, verifier crash), and which phase it was. */
  thrown: { phase: TrialPhase; error: string } | null;
  /** The agent's own error line (timeout, crash, refused request), if any. */
  agentError: string | null;
  /** Why the verifier gave no reward, if it did not. */
  verifierReason: string | null;
}

/** The first failure, in pipeline order (what threw, then the agent, then the verifier), or null on a clean run. */
export function firstFailure(s: FailureSources): TrialFailure | null {
  if (s.thrown) return failureFromText(s.thrown.phase, s.thrown.error, 'Error');
  if (s.agentError) return failureFromText('agent', s.agentError, 'AgentError');
  if (s.verifierReason) return failureFromText('verifier', s.verifierReason, 'VerifierError');
  return null;
}
