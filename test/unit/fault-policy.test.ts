/**
 * The pure parts of the fault policy: campaign.yaml's `runtime.faultRetry` (defaults, validation naming the
 * field), how a plan carries it to the activities' retry policy, the activity failures a systemic model fault
 * becomes (type, retryability, a pause reason that names the variable and never the key), and which of
 * several faults decides what the campaign does.
 */
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { faultInResult, llmFaultFailure } from '../../src/activities/faults';
import { credentialVariableOf } from '../../src/llm/provider';
import { parseCampaignConfig } from '../../src/campaign/config';
import { CampaignConfigError } from '../../src/campaign/errors';
import {
  LlmAuthError,
  LlmBadRequestError,
  LlmModelNotFoundError,
  LlmOverloadedError,
  LlmServerError,
} from '../../src/llm/errors';
import { MetaAgentError } from '../../src/meta/errors';
import { LLM_FAULT_ERRORS, NON_RETRYABLE_ERRORS, llmFaultKindOf } from '../../src/workflows/error-names';
import { pausesCampaign, systemicFaultOf, worstFault } from '../../src/workflows/faults';

const minimal = {
  name: 'demo-1',
  benchmark: 'bench',
  train: ['a', 'b'],
  seedHarness: 'seed',
  program: 'program.md',
  taskModel: 'claude-x',
};

function configError(raw: unknown): CampaignConfigError {
  try {
    parseCampaignConfig(raw, '/tmp/c.yaml');
  } catch (e) {
    if (e instanceof CampaignConfigError) return e;
    throw e;
  }
  throw new Error('expected a CampaignConfigError');
}

describe('campaign.yaml runtime.faultRetry', () => {
  it('defaults to riding out about 12 minutes', () => {
    expect(parseCampaignConfig(minimal, '/tmp/c.yaml').runtime).toEqual({
      faultRetry: { maxAttempts: 10, initialIntervalSeconds: 10, maximumIntervalSeconds: 120 },
    });
  });

  it('takes explicit values, fractions of a second included', () => {
    const c = parseCampaignConfig(
      {
        ...minimal,
        runtime: { faultRetry: { maxAttempts: 30, initialIntervalSeconds: 0.5, maximumIntervalSeconds: 300 } },
      },
      '/tmp/c.yaml',
    );
    expect(c.runtime.faultRetry).toEqual({ maxAttempts: 30, initialIntervalSeconds: 0.5, maximumIntervalSeconds: 300 });
  });

  it('names the field of a bad value, an unknown key, or an inverted range', () => {
    expect(configError({ ...minimal, runtime: { faultRetry: { maxAttempts: 0 } } }).message).toBe(
      '/tmp/c.yaml: runtime.faultRetry.maxAttempts: expected a positive integer',
    );
    expect(configError({ ...minimal, runtime: { faultRetry: { maxAttempts: 2.5 } } }).field).toBe(
      'runtime.faultRetry.maxAttempts',
    );
    expect(configError({ ...minimal, runtime: { faultRetry: { initialIntervalSeconds: 'soon' } } }).field).toBe(
      'runtime.faultRetry.initialIntervalSeconds',
    );
    expect(configError({ ...minimal, runtime: { faultRetry: { attempts: 3 } } }).message).toBe(
      '/tmp/c.yaml: runtime.faultRetry.attempts: unknown field',
    );
    expect(configError({ ...minimal, runtime: { retry: {} } }).message).toBe(
      '/tmp/c.yaml: runtime.retry: unknown field',
    );
    expect(
      configError({ ...minimal, runtime: { faultRetry: { initialIntervalSeconds: 60, maximumIntervalSeconds: 5 } } })
        .message,
    ).toBe('/tmp/c.yaml: runtime.faultRetry.maximumIntervalSeconds: expected at least initialIntervalSeconds');
  });
});

describe('activity failures for systemic model faults', () => {
  const ctx = { model: 'claude-sonnet-4-6', what: 'trial a #0' };

  it('an outage is retryable LlmUnavailableError; nothing else is turned into one', () => {
    for (const e of [
      new LlmOverloadedError('529 Overloaded'),
      new LlmServerError('connection failed: ECONNREFUSED', null),
    ]) {
      const f = llmFaultFailure(e, ctx);
      expect(f).toBeInstanceOf(ApplicationFailure);
      expect(f).toMatchObject({
        type: 'LlmUnavailableError',
        nonRetryable: false,
        message: expect.stringContaining('trial a #0'),
      });
    }
    expect(llmFaultFailure(new LlmBadRequestError('prompt is too long', 400), ctx)).toBeNull();
    expect(llmFaultFailure(new Error('docker hiccup'), ctx)).toBeNull();
  });

  it('a rejected key is non-retryable LlmCredentialError with a reason naming the variable and how to go on', () => {
    const f = llmFaultFailure(new LlmAuthError('Anthropic API 401 authentication_error: invalid x-api-key', 401), ctx);
    expect(f).toMatchObject({ type: 'LlmCredentialError', nonRetryable: true });
    expect(f?.message).toMatch(
      /^ANTHROPIC_API_KEY was rejected \(401\) for model "claude-sonnet-4-6": .*invalid x-api-key.*autoagent resume.*autoagent run/,
    );
    const missing = llmFaultFailure(new LlmAuthError('OPENAI_API_KEY is not set'), {
      model: 'openai/gpt-x',
      what: 'proposal p',
    });
    expect(missing?.message).toMatch(/^OPENAI_API_KEY is missing for model "openai\/gpt-x"/);
  });

  it('a wrapped fault (the meta-agent) is found through its cause; an unknown model pauses as configuration', () => {
    const wrapped = new MetaAgentError('error', 'x', '/t.json', { cause: new LlmAuthError('bad', 403) });
    expect(llmFaultFailure(wrapped, ctx)).toMatchObject({
      type: 'LlmCredentialError',
      message: expect.stringMatching(/rejected \(403\)/),
    });
    expect(llmFaultFailure(new LlmModelNotFoundError('model: claude-nope'), ctx)).toMatchObject({
      type: 'LlmConfigError',
      nonRetryable: true,
    });
  });

  it('a result carrying a fault as its error is refused too', () => {
    expect(faultInResult(null, ctx)).toBeNull();
    expect(faultInResult('AgentTimeoutError: agent did not finish within 5s', ctx)).toBeNull();
    expect(faultInResult('LlmAuthError: ANTHROPIC_API_KEY is not set', ctx)).toMatchObject({
      type: 'LlmCredentialError',
      nonRetryable: true,
    });
    expect(faultInResult('LlmServerError: connection failed', ctx)).toMatchObject({
      type: 'LlmUnavailableError',
      nonRetryable: false,
    });
    expect(faultInResult('DockerUnavailableError: gone', ctx)).toMatchObject({
      type: 'DockerUnavailableError',
      nonRetryable: false,
    });
  });

  it('credential variables by provider', () => {
    expect(credentialVariableOf('claude-x')).toBe('ANTHROPIC_API_KEY');
    expect(credentialVariableOf('anthropic/claude-x')).toBe('ANTHROPIC_API_KEY');
    expect(credentialVariableOf('openai/llama')).toBe('OPENAI_API_KEY');
    expect(credentialVariableOf('local')).toBeNull();
  });
});

describe('workflow side', () => {
  const activityFailure = (type: string): ActivityFailure =>
    new ActivityFailure(
      'activity failed',
      'runTrial',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'id',
      ApplicationFailure.create({ type, message: `${type} reason` }),
    );

  it('recognises the fault types, and only those', () => {
    expect(systemicFaultOf(activityFailure('LlmCredentialError'))).toEqual({
      kind: 'credential',
      message: 'LlmCredentialError reason',
    });
    expect(systemicFaultOf(activityFailure('LlmUnavailableError'))).toEqual({
      kind: 'outage',
      message: 'LlmUnavailableError reason',
    });
    expect(systemicFaultOf(activityFailure('DockerUnavailableError'))).toBeNull();
    expect(systemicFaultOf(new Error('x'))).toBeNull();
    expect(llmFaultKindOf('LlmConfigError')).toBe('configuration');
    expect(NON_RETRYABLE_ERRORS).toEqual(
      expect.arrayContaining([LLM_FAULT_ERRORS.credential, LLM_FAULT_ERRORS.configuration]),
    );
    expect(NON_RETRYABLE_ERRORS).not.toContain(LLM_FAULT_ERRORS.outage);
  });

  it('a credential fault outranks an outage, and pauses the campaign', () => {
    const outage = { kind: 'outage' as const, message: 'o' };
    const cred = { kind: 'credential' as const, message: 'c' };
    expect(worstFault(outage, cred)).toBe(cred);
    expect(worstFault(cred, outage)).toBe(cred);
    expect(worstFault(null, outage)).toBe(outage);
    expect(worstFault(outage, { kind: 'outage', message: 'later' })).toBe(outage);
    expect(pausesCampaign(cred)).toBe(true);
    expect(pausesCampaign({ kind: 'configuration', message: 'm' })).toBe(true);
    expect(pausesCampaign(outage)).toBe(false);
    expect(pausesCampaign(null)).toBe(false);
  });
});
