/**
 * Activity side of "faults are not results": turns a systemic model fault (src/llm/errors.ts) into the
 * Temporal failure the workflows act on — LlmUnavailableError (retryable: the activity's backoff rides the
 * outage out), LlmCredentialError / LlmConfigError (non-retryable: the campaign pauses with this message as
 * its reason). Messages name the environment variable to fix and say how to go on, and never carry a key.
 */
import { ApplicationFailure } from '@temporalio/common';
import { systemicLlmError, type LlmError } from '../llm/errors';
import { faultSummaryOf } from '../llm/provider';
import { isSystemicErrorText } from '../store/faulted';
import { LLM_FAULT_ERRORS } from '../workflows/error-names';

const HOW_TO_GO_ON =
  'then run `autoagent resume <campaign>` (embedded mode — no TEMPORAL_ADDRESS — reads keys in the `autoagent run` process: ' +
  'stop it and start `autoagent run` again with the key set, which resumes)';

/** The human reason a credential or configuration fault pauses the campaign with. */
function pauseReasonOf(e: LlmError, model: string): string {
  const fix = e.fault === 'credential' ? 'Set it' : 'Fix the model name or the base URL';
  return `${faultSummaryOf(e, model)}. ${fix}, ${HOW_TO_GO_ON}`;
}

/**
 * The Temporal failure for `err` if it is (or wraps) a systemic model fault, else null (the caller rethrows
 * `err` unchanged). `what` says which work failed, e.g. "trial write-alpha #0".
 */
export function llmFaultFailure(err: unknown, ctx: { model: string; what: string }): ApplicationFailure | null {
  const e = systemicLlmError(err);
  if (!e) return null;
  if (e.fault === 'outage') {
    return ApplicationFailure.create({
      type: LLM_FAULT_ERRORS.outage,
      nonRetryable: false,
      cause: e,
      message: `model API unavailable for ${ctx.what} (${e.name}: ${e.message.split('\n')[0]}); nothing was recorded`,
    });
  }
  return ApplicationFailure.create({
    type: e.fault === 'credential' ? LLM_FAULT_ERRORS.credential : LLM_FAULT_ERRORS.configuration,
    nonRetryable: true,
    cause: e,
    message: pauseReasonOf(e, ctx.model),
  });
}

/**
 * A result that still carries a systemic fault as its error (a runner that swallowed it) must not be
 * recorded either: the failure to throw instead, or null for a real result.
 */
export function faultInResult(error: string | null, ctx: { model: string; what: string }): ApplicationFailure | null {
  if (!isSystemicErrorText(error)) return null;
  const text = error as string;
  if (/^(LlmAuthError|LlmCredentialError):/.test(text)) {
    return ApplicationFailure.create({
      type: LLM_FAULT_ERRORS.credential,
      nonRetryable: true,
      message: `${text.split('\n')[0]} — ${HOW_TO_GO_ON}`,
    });
  }
  if (/^(LlmModelNotFoundError|LlmConfigError):/.test(text)) {
    return ApplicationFailure.create({
      type: LLM_FAULT_ERRORS.configuration,
      nonRetryable: true,
      message: `${text.split('\n')[0]} — ${HOW_TO_GO_ON}`,
    });
  }
  const type = text.startsWith('DockerUnavailableError:') ? 'DockerUnavailableError' : LLM_FAULT_ERRORS.outage;
  return ApplicationFailure.create({
    type,
    nonRetryable: false,
    message: `${ctx.what}: ${text.split('\n')[0]}; nothing was recorded`,
  });
}
