/**
 * runHarnessAgent without an injected LLM client: it builds one from ANTHROPIC_API_KEY /
 * ANTHROPIC_BASE_URL (against the local fake Messages API), and a missing key is a systemic fault: it is
 * thrown (LlmAuthError), never turned into an outcome that could be scored.
 */
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { runHarnessAgent } from '../../src/agent/harness-agent';
import { MODEL, closeFakes, makeHarness, startFake } from '../support/agent-run';
import { withEnv } from '../support/env';
import { apiKeyOf, text } from '../support/fake-anthropic';
import { MemorySandbox } from '../support/memory-sandbox';

afterEach(closeFakes);

const runDefault = (instruction: string): ReturnType<typeof runHarnessAgent> =>
  runHarnessAgent({
    harness: makeHarness(),
    taskName: 't',
    instruction,
    sandbox: new MemorySandbox(),
    recorder: new TrajectoryRecorder({ sessionId: 's', agentName: 'a', model: MODEL }),
    deadlineMs: Date.now() + 30_000,
  });

describe('runHarnessAgent defaults', () => {
  it('builds its client from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL when no llm is given', async () => {
    const fake = await startFake([{ content: [text('hello from env')] }]);
    await withEnv({ ANTHROPIC_API_KEY: 'env-key-123', ANTHROPIC_BASE_URL: fake.url }, async () => {
      const outcome = await runDefault('say hello');
      expect(outcome).toMatchObject({ stopReason: 'end_turn', finalMessage: 'hello from env' });
      expect(apiKeyOf(fake.requests[0]!.headers)).toBe('env-key-123');
    });
  });

  it('throws LlmAuthError naming ANTHROPIC_API_KEY (no outcome) when no API key is configured', async () => {
    await withEnv({ ANTHROPIC_API_KEY: undefined }, async () => {
      await expect(runDefault('x')).rejects.toMatchObject({
        name: 'LlmAuthError',
        fault: 'credential',
        message: expect.stringMatching(/^ANTHROPIC_API_KEY is not set/),
      });
    });
  });
});
