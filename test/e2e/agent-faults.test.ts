/**
 * Faults are not results, at the agent level: the real Anthropic SDK against the fault-injecting fake
 * Messages API. Systemic faults (401, 404 model, 429 / 529 / 500 past the SDK's retries, connection refused,
 * answers slower than the client timeout) escape runHarnessAgent — also from a sub-agent called as a tool —
 * while task-level ones (a 400 refused conversation, the agent's deadline) stay outcomes. A fault that ends
 * within the SDK's retries is invisible. The pure classification is checked too.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { runHarnessAgent } from '../../src/agent/harness-agent';
import { createAnthropicClient } from '../../src/llm/client';
import {
  LlmAbortedError,
  LlmAuthError,
  LlmBadRequestError,
  LlmError,
  LlmModelNotFoundError,
  LlmOverloadedError,
  LlmRateLimitError,
  LlmServerError,
  isLlmCredentialError,
  isSystemicLlmError,
  systemicLlmError,
} from '../../src/llm/errors';
import { MetaAgentError } from '../../src/meta/errors';
import { KEY, MODEL, closeFakes, makeHarness, startFake } from '../support/agent-run';
import { FAULTS, failFirst, slow, text, toolUse, type FakeReply, type FakeScript } from '../support/fake-anthropic';
import { MemorySandbox } from '../support/memory-sandbox';

afterEach(closeFakes);

const finish: FakeReply = { content: [toolUse('finish', { summary: 'ok' })] };

async function run(
  script: FakeScript,
  o: {
    maxRetries?: number;
    timeoutMs?: number;
    deadlineMs?: number;
    url?: string;
    harness?: ReturnType<typeof makeHarness>;
  } = {},
) {
  const f = await startFake(script);
  const llm = createAnthropicClient({
    apiKey: KEY,
    baseURL: o.url ?? f.url,
    maxRetries: o.maxRetries ?? 1,
    ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
  });
  const outcome = runHarnessAgent({
    harness: o.harness ?? makeHarness(),
    taskName: 't',
    instruction: 'do it',
    sandbox: new MemorySandbox(),
    recorder: new TrajectoryRecorder({ sessionId: 's', agentName: 'a', model: MODEL }),
    deadlineMs: o.deadlineMs ?? Date.now() + 60_000,
    llm,
  });
  return {
    f,
    outcome: outcome.then(
      (x) => x,
      (e: unknown) => Promise.reject(e),
    ),
  };
}

const failure = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => new Error('expected a throw, got an outcome'),
    (e: unknown) => e,
  );

describe('classification', () => {
  it('names systemic faults and keeps task-level ones out', () => {
    expect(isSystemicLlmError(new LlmAuthError('x', 401))).toBe(true);
    expect(isLlmCredentialError(new LlmAuthError('x', 401))).toBe(true);
    expect(isSystemicLlmError(new LlmModelNotFoundError('x'))).toBe(true);
    expect(isLlmCredentialError(new LlmModelNotFoundError('x'))).toBe(false);
    for (const e of [
      new LlmRateLimitError('x'),
      new LlmOverloadedError('x'),
      new LlmServerError('x', 500),
      new LlmServerError('conn', null),
    ]) {
      expect({ name: e.name, systemic: isSystemicLlmError(e), fault: e.fault }).toEqual({
        name: e.name,
        systemic: true,
        fault: 'outage',
      });
    }
    for (const e of [
      new LlmBadRequestError('prompt is too long', 400),
      new LlmAbortedError(),
      new LlmError('odd', null, false),
      new Error('x'),
      'str',
      null,
    ]) {
      expect(isSystemicLlmError(e)).toBe(false);
    }
  });

  it('finds the fault behind a wrapper (cause chain)', () => {
    const auth = new LlmAuthError('bad key', 401);
    const wrapped = new MetaAgentError('error', 'LlmAuthError: bad key', '/t.json', { cause: auth });
    expect(systemicLlmError(wrapped)).toBe(auth);
    expect(isLlmCredentialError(wrapped)).toBe(true);
    expect(isSystemicLlmError(new MetaAgentError('error', 'x', '/t.json'))).toBe(false);
  });
});

describe('systemic faults escape the agent (nothing to score)', () => {
  it('401: LlmAuthError, credential fault, after one request (auth is not retried)', async () => {
    const { f, outcome } = await run([FAULTS.unauthorized, finish], { maxRetries: 3 });
    expect(await failure(outcome)).toMatchObject({ name: 'LlmAuthError', status: 401, fault: 'credential' });
    expect(f.requests).toHaveLength(1);
  });

  it('404 model not found: LlmModelNotFoundError, a configuration fault', async () => {
    const { outcome } = await run([FAULTS.modelNotFound]);
    expect(await failure(outcome)).toMatchObject({
      name: 'LlmModelNotFoundError',
      status: 404,
      fault: 'configuration',
    });
  });

  it('429 with retry-after, past the SDK retries: LlmRateLimitError (retry-after honoured between attempts)', async () => {
    const { f, outcome } = await run([FAULTS.rateLimited, FAULTS.rateLimited, finish], { maxRetries: 1 });
    expect(await failure(outcome)).toMatchObject({
      name: 'LlmRateLimitError',
      status: 429,
      fault: 'outage',
      retryable: true,
    });
    expect(f.requests).toHaveLength(2);
    expect(f.requests[1]!.receivedAt - f.requests[0]!.receivedAt).toBeGreaterThanOrEqual(900);
  });

  it('529 overloaded: LlmOverloadedError', async () => {
    const { outcome } = await run([FAULTS.overloaded, FAULTS.overloaded]);
    expect(await failure(outcome)).toMatchObject({ name: 'LlmOverloadedError', status: 529, fault: 'outage' });
  });

  it('500: LlmServerError', async () => {
    const { outcome } = await run([FAULTS.serverError, FAULTS.serverError]);
    expect(await failure(outcome)).toMatchObject({ name: 'LlmServerError', status: 500, fault: 'outage' });
  });

  it('connection refused (the server is down): LlmServerError with no status', async () => {
    const f = await startFake([finish]);
    await f.down();
    const { outcome } = await run([], { url: f.url, maxRetries: 0 });
    expect(await failure(outcome)).toMatchObject({
      name: 'LlmServerError',
      status: null,
      fault: 'outage',
      message: expect.stringMatching(/connection failed/),
    });
  });

  it('an answer slower than the client timeout: LlmServerError (request timed out), not an agent timeout', async () => {
    const { f, outcome } = await run([slow(finish, 5_000), slow(finish, 5_000)], { maxRetries: 0, timeoutMs: 300 });
    expect(await failure(outcome)).toMatchObject({
      name: 'LlmServerError',
      fault: 'outage',
      message: expect.stringMatching(/timed out/i),
    });
    expect(f.requests).toHaveLength(1);
  });

  it('a sub-agent hitting a systemic fault ends the whole run (not an is_error tool result)', async () => {
    const helper = {
      name: 'helper',
      description: 'Does chores.',
      model: null,
      tools: [],
      maxTurns: 3,
      prompt: 'You are a helper.',
    };
    const script = (req: { body: unknown }): FakeReply =>
      JSON.stringify((req.body as Anthropic.MessageCreateParamsNonStreaming).system).includes('You are a helper.')
        ? FAULTS.unauthorized
        : { content: [toolUse('agent_helper', { task: 'chores' })] };
    const { f, outcome } = await run(script, { harness: makeHarness({}, { agents: [helper] }) });
    expect(await failure(outcome)).toMatchObject({ name: 'LlmAuthError' });
    expect(f.requests).toHaveLength(2); // main agent's call, the helper's refused call — and nothing after it
  });
});

describe('what stays a result', () => {
  it('a 400 refused conversation (context too long) is a task-level error outcome', async () => {
    const { outcome } = await run([
      { error: 'bad_request', message: 'prompt is too long: 250000 tokens > 200000 maximum' },
    ]);
    expect(await outcome).toMatchObject({
      stopReason: 'error',
      error: expect.stringMatching(/^LlmBadRequestError: .*prompt is too long/),
    });
  });

  it('the agent deadline passing during a slow answer is an agent timeout', async () => {
    const { outcome } = await run([slow(finish, 10_000)], { deadlineMs: Date.now() + 500, timeoutMs: 60_000 });
    expect(await outcome).toMatchObject({ stopReason: 'timeout' });
  });

  it('faults that end within the SDK retries are invisible: 529 then 429 then 500, then the answer', async () => {
    // The wrapped script sees the request's own index: 0 is the injected 529, 1 and 2 its own faults.
    const inj = failFirst(1, FAULTS.overloaded, (_req, i) =>
      i === 1 ? FAULTS.rateLimited : i === 2 ? FAULTS.serverError : finish,
    );
    const { f, outcome } = await run(inj.script, { maxRetries: 3 });
    expect(await outcome).toMatchObject({ stopReason: 'finished' });
    expect(f.requests).toHaveLength(4);
    expect(inj.faulted).toBe(1);
  });

  it('a model that just says it is done scores as a result (end_turn), not a fault', async () => {
    const { outcome } = await run([{ content: [text('I give up.')] }]);
    expect(await outcome).toMatchObject({ stopReason: 'end_turn', error: null });
  });
});
