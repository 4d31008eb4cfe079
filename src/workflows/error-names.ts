/**
 * Error names that decide retries, in one dependency-free module: workflows list them in
 * `nonRetryableErrorTypes`, activities throw them. Retrying a bad harness, a broken config or a
 * holdout leak cannot help; everything else (Docker hiccups, a busy daemon, the network) is retried.
 */
export const NON_RETRYABLE_ERRORS = [
  'InvalidCampaignPlanError',
  'CampaignConfigError',
  'CandidateHarnessError',
  'HarnessError',
  'TaskLoadError',
  'ZodError',
  'HoldoutLeakError',
  'MetaWorkspaceError',
  'LlmCredentialError',
  'LlmConfigError',
] as const;

/**
 * Systemic model faults, as the failure types the runTrial / proposeCandidate activities throw. None is ever
 * a result: an outage is retried with backoff (then the generation waits for `retry-generation`); credential
 * and configuration faults are not retried and pause the campaign until it is resumed.
 */
export const LLM_FAULT_ERRORS = {
  outage: 'LlmUnavailableError',
  credential: 'LlmCredentialError',
  configuration: 'LlmConfigError',
} as const;
export type LlmFaultKind = keyof typeof LLM_FAULT_ERRORS;

/** The fault kind of an activity failure type, or null when the type is not a systemic model fault. */
export function llmFaultKindOf(type: string | null | undefined): LlmFaultKind | null {
  for (const [kind, name] of Object.entries(LLM_FAULT_ERRORS)) if (name === type) return kind as LlmFaultKind;
  return null;
}

/** Errors that condemn the candidate being evaluated rather than the generation. */
export const CANDIDATE_ERRORS: readonly string[] = ['CandidateHarnessError', 'HarnessError'];
