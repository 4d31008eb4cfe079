/**
 * `autoagent eval --model openai/<model>` through the user's interface: the built CLI, no Anthropic key at
 * all, OPENAI_BASE_URL pointing at the fake OpenAI-compatible server (real `openai` SDK, real HTTP), a real
 * Docker trial on a starter task. The trial is solved for real (reward 1), priced $0 and flagged
 * `priced: false`, the server saw its own model name, and no key lands on disk. Without OPENAI_BASE_URL or
 * OPENAI_API_KEY `eval` refuses to start and names the variable. Needs Docker: fails (does not skip) without it.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadTrajectory } from '../../src/agent/atif/io';
import { startFakeOpenAi, type FakeOpenAi } from '../../src/llm/fake-openai/server';
import { text, toolUse } from '../support/fake-anthropic';
import { ROOT, ensureBuilt, jsonLines, runCli } from './support/cli';

const TASK = path.join(ROOT, 'benchmarks/tasks/starter/text-word-frequency');
const MODEL = 'openai/fake-coder';
const KEY = 'sk-openai-e2e-eval-5b7e02';
/** Every Anthropic variable removed: this provider must not need them. */
const NO_ANTHROPIC = { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined };

describe('autoagent eval on an OpenAI-compatible endpoint (built CLI, fake server, real Docker)', () => {
  let tmp = '';
  let solve = '';
  let fake: FakeOpenAi | null = null;

  beforeAll(async () => {
    await ensureBuilt();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-eval-openai-'));
    solve = await readFile(path.join(TASK, 'solution/solve.sh'), 'utf8');
  }, 240_000);

  afterAll(async () => {
    await fake?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('solves a task for real through openai/<model>: reward 1, $0 flagged priced: false, no key on disk', async () => {
    const f = (fake = await startFakeOpenAi([
      {
        content: [text('Running the solution.'), toolUse('bash', { command: solve })],
        usage: { input_tokens: 900, output_tokens: 200, cache_read_input_tokens: 100 },
      },
      { content: [toolUse('finish', { summary: 'top_words.txt written' })] },
    ]));
    const out = path.join(tmp, 'solve');
    const r = await runCli(
      ['eval', TASK, '--model', MODEL, '--json', '--out', out],
      {
        baseUrl: 'http://127.0.0.1:9',
        temporal: false,
        env: { ...NO_ANTHROPIC, OPENAI_BASE_URL: f.url, OPENAI_API_KEY: KEY, AUTOAGENT_PRICING_JSON: undefined },
      },
      150_000,
    );
    expect(r.stderr).not.toMatch(/autoagent: (error|.*ANTHROPIC)/);
    expect(r.code).toBe(0);
    const [trial, summary] = jsonLines(r.stdout, { strict: true });
    expect(trial).toMatchObject({
      type: 'trial',
      reward: 1,
      error: null,
      stopReason: 'finished',
      turns: 2,
      model: MODEL,
      costUsd: 0,
      tokens: 900 + 200 + 100 + 10 + 5,
    });
    expect(summary).toMatchObject({ type: 'summary', trials: 1, passed: 1, meanReward: 1 });

    expect(f.requests).toHaveLength(2);
    expect(f.requests.map((q) => (q.body as { model: string }).model)).toEqual(['fake-coder', 'fake-coder']);
    expect(f.requests.every((q) => q.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
    const second = f.requests[1]!.body as { messages: { role: string; content: unknown }[] };
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('[exit code: 0]') });

    const traj = await loadTrajectory(String(trial!['trajectoryPath']));
    const steps = traj.steps.filter((s) => s.source === 'agent');
    expect(steps.map((s) => s.model_name)).toEqual([MODEL, MODEL]);
    expect(steps.map((s) => s.extra?.['priced'])).toEqual([false, false]);
    expect(steps[0]!.metrics).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 200,
      cached_tokens: 100,
      cost_usd: 0,
    });

    for (const name of await readdir(out, { recursive: true })) {
      const p = path.join(out, name);
      const content = await readFile(p).catch(() => null); // directories
      if (content) expect({ file: p, leaks: content.includes(KEY) }).toEqual({ file: p, leaks: false });
    }
  }, 180_000);

  it('refuses to start without OPENAI_BASE_URL or OPENAI_API_KEY, naming the variable, and records nothing', async () => {
    const out = path.join(tmp, 'no-key');
    const r = await runCli(
      ['eval', TASK, '--model', MODEL, '--out', out],
      {
        baseUrl: 'http://127.0.0.1:9',
        temporal: false,
        env: { ...NO_ANTHROPIC, OPENAI_BASE_URL: undefined, OPENAI_API_KEY: undefined },
      },
      60_000,
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('OPENAI_API_KEY');
    await expect(readdir(out)).rejects.toMatchObject({ code: 'ENOENT' });
  }, 90_000);
});
