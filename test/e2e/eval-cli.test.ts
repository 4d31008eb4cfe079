/**
 * `autoagent eval` end to end, through the user's interface: the built CLI (dist/) is spawned as a child
 * process with ANTHROPIC_BASE_URL pointing at the fake Messages API (real SDK, real HTTP), running real
 * Docker trials on the starter tasks. Asserts what a user sees (JSON lines, human lines, exit codes and
 * messages) and what they keep (result files, ATIF trajectories, no API key anywhere).
 * Needs Docker: fails (does not skip) without it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { loadTrajectory } from '../../src/agent/atif/io';
import { addUsage, usageFromResponse, zeroUsage } from '../../src/llm/usage';
import {
  startFakeAnthropic,
  toolUse,
  text,
  turnOf,
  type FakeAnthropic,
  type FakeReply,
} from '../support/fake-anthropic';
import { harborValidate } from '../support/harbor';
import {
  API_KEY as KEY,
  ROOT,
  ensureBuilt,
  jsonLines as anyJsonLines,
  runCli as runAnyCli,
  startFakeServerCli,
  type CliResult,
  type FakeServerProcess,
} from './support/cli';

const STARTER = path.join(ROOT, 'benchmarks/tasks/starter');
const TASK = path.join(STARTER, 'text-word-frequency');
const MODEL = 'claude-haiku-4-5';
/** Nothing listens there: runs that must fail before any API call. */
const NO_API = 'http://127.0.0.1:9';

/** `eval` needs no Temporal; the fake server lives in this process and must keep serving. */
const runCli = (args: string[], baseUrl: string | null): Promise<CliResult> =>
  runAnyCli(args, { baseUrl: baseUrl ?? NO_API, temporal: false }, 900_000); // generous: 11 sandboxes on a busy 2-core machine

/** `--json` output: every line must be a JSON object. */
const jsonLines = (out: string): Record<string, unknown>[] => anyJsonLines(out, { strict: true });

/** Every file under dir, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

const lastMessage = (fake: FakeAnthropic, i: number): Anthropic.MessageParam =>
  (fake.requests[i]!.body as Anthropic.MessageCreateParamsNonStreaming).messages.at(-1)!;

describe('autoagent eval (built CLI, fake Messages API, real Docker)', () => {
  let tmp = '';
  let solve = '';
  const fakes: FakeAnthropic[] = [];
  const servers: FakeServerProcess[] = [];
  const fake = async (script: Parameters<typeof startFakeAnthropic>[0]): Promise<FakeAnthropic> => {
    const f = await startFakeAnthropic(script);
    fakes.push(f);
    return f;
  };

  beforeAll(async () => {
    await ensureBuilt();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-eval-cli-'));
    solve = await readFile(path.join(TASK, 'solution/solve.sh'), 'utf8');
  }, 240_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await Promise.all(fakes.map((f) => f.close()));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a model that does nothing scores 0 on every starter task (--json, fake-server CLI + script file)', async () => {
    // The way a user runs it by hand: the fake server's own CLI with a script file.
    const server = await startFakeServerCli([path.join(ROOT, 'test/fixtures/scripts/done.json')]);
    servers.push(server);
    const out = path.join(tmp, 'noop-model');
    const r = await runCli(['eval', STARTER, '--json', '--concurrency', '2', '--out', out], server.url);
    server.child.kill('SIGTERM');
    expect(r.stderr).not.toContain('autoagent:');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const taskNames = readdirSync(STARTER)
      .filter((d) => existsSync(path.join(STARTER, d, 'task.toml')))
      .sort();
    expect(taskNames.length).toBeGreaterThanOrEqual(10);
    const trials = lines.slice(0, -1);
    expect(trials.map((t) => t['task']).sort()).toEqual(taskNames);
    for (const t of trials) {
      expect(t).toMatchObject({
        type: 'trial',
        reward: 0,
        error: null,
        stopReason: 'end_turn',
        turns: 1,
        model: 'claude-sonnet-4-6',
        agent: 'harness',
      });
      expect(existsSync(String(t['trajectoryPath']))).toBe(true);
    }
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      trials: taskNames.length,
      meanReward: 0,
      passed: 0,
      errors: 0,
      outDir: out,
    });
    expect(server.log().match(/fake-anthropic: call \d+ turn 0 \/v1\/messages/g)).toHaveLength(taskNames.length);
    expect(JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({
      trials: taskNames.length,
      meanReward: 0,
    });
  }, 900_000);

  it('a scripted tool-use conversation solves a task for real: reward 1, ATIF trajectory, cost, no key on disk', async () => {
    const bigUsage = { input_tokens: 1200, output_tokens: 300, cache_read_input_tokens: 400 };
    const f = await fake([
      { content: [text('Running the solution.'), toolUse('bash', { command: solve })], usage: bigUsage },
      { content: [toolUse('finish', { summary: 'top_words.txt written' })] },
    ]);
    const out = path.join(tmp, 'solve');
    const r = await runCli(['eval', TASK, '--model', MODEL, '--json', '--out', out], f.url);
    expect(r.code).toBe(0);
    const [trial, summary] = jsonLines(r.stdout);
    expect(trial).toMatchObject({
      type: 'trial',
      task: 'text-word-frequency',
      reward: 1,
      error: null,
      stopReason: 'finished',
      turns: 2,
      model: MODEL,
    });
    const expectedCost = addUsage(
      addUsage(zeroUsage(), usageFromResponse(MODEL, bigUsage)),
      usageFromResponse(MODEL, { input_tokens: 10, output_tokens: 5 }),
    ).costUsd;
    expect(trial!['costUsd']).toBeGreaterThan(0);
    expect(trial!['costUsd']).toBeCloseTo(expectedCost, 9);
    expect(trial!['tokens']).toBe(1200 + 300 + 400 + 10 + 5);
    expect(summary).toMatchObject({ type: 'summary', trials: 1, passed: 1, meanReward: 1 });

    // The model saw the real command output as the tool result of its call.
    expect(f.requests).toHaveLength(2);
    const callId = (
      (f.requests[1]!.body as Anthropic.MessageCreateParamsNonStreaming).messages.at(-2)!
        .content as Anthropic.ContentBlock[]
    ).find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!.id;
    const results = lastMessage(f, 1).content as Anthropic.ToolResultBlockParam[];
    expect(results).toEqual([
      expect.objectContaining({
        type: 'tool_result',
        tool_use_id: callId,
        content: expect.stringContaining('[exit code: 0]'),
      }),
    ]);
    expect(results[0]!.is_error).toBeFalsy();

    const traj = await loadTrajectory(String(trial!['trajectoryPath']));
    const step = traj.steps.find((s) => s.tool_calls?.some((c) => c.function_name === 'bash'))!;
    expect(step.tool_calls![0]).toMatchObject({
      tool_call_id: callId,
      function_name: 'bash',
      arguments: { command: solve },
    });
    expect(step.observation!.results[0]).toMatchObject({
      source_call_id: callId,
      content: expect.stringContaining('[exit code: 0]'),
    });
    expect(step.metrics).toMatchObject({ prompt_tokens: 1200 + 400, completion_tokens: 300, cached_tokens: 400 });
    expect(step.metrics!.cost_usd).toBeGreaterThan(0);
    expect(traj.steps.some((s) => s.tool_calls?.some((c) => c.function_name === 'finish'))).toBe(true);

    // The key reached the API, and nothing on disk.
    expect(f.requests.every((q) => JSON.stringify(q.headers).includes(KEY))).toBe(true);
    const files = await filesUnder(out);
    expect(files.map((p) => path.relative(out, p).split(path.sep).slice(1).join('/') || path.basename(p))).toEqual(
      expect.arrayContaining([
        'config.json',
        'result.json',
        'summary.json',
        'autoagent.json',
        'agent/trajectory.json',
        'verifier/test-stdout.txt',
        'verifier/reward.txt',
      ]),
    );
    // A Harbor job folder, as Harbor's own models read it (a harness trial: tokens, cost, model info).
    const harbor = await harborValidate([out]);
    expect(harbor.errors).toEqual([]);
    expect(harbor.checked.map(([, m]) => m)).toEqual([
      'JobConfig',
      'JobResult',
      'TrialConfig',
      'TrialResult',
      'Trajectory',
    ]);
    for (const p of files)
      expect({ file: p, leaks: (await readFile(p)).includes(KEY) }).toEqual({ file: p, leaks: false });
  }, 900_000);

  it('retries a 429 then a 529 on the first call and the trial still succeeds', async () => {
    const f = await fake([
      { error: 'rate_limit' },
      { error: 'overloaded' },
      { content: [toolUse('bash', { command: solve })] },
      { content: [toolUse('finish', { summary: 'done' })] },
    ]);
    const r = await runCli(['eval', TASK, '--model', MODEL, '--json', '--out', path.join(tmp, 'retry')], f.url);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ reward: 1, error: null, stopReason: 'finished', turns: 2 });
    expect(f.requests).toHaveLength(4);
    // The three first requests are the same call, retried.
    expect(f.requests[1]!.body).toEqual(f.requests[0]!.body);
    expect(f.requests[2]!.body).toEqual(f.requests[0]!.body);
  }, 900_000);

  it('reports a malformed tool input to the model as an is_error result and carries on to reward 1', async () => {
    const f = await fake([
      { content: [toolUse('bash', { cmd: solve })] },
      { content: [toolUse('bash', { command: solve })] },
      { content: [toolUse('finish', { summary: 'done' })] },
    ]);
    const r = await runCli(['eval', TASK, '--model', MODEL, '--json', '--out', path.join(tmp, 'bad-input')], f.url);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ reward: 1, error: null, stopReason: 'finished', turns: 3 });
    const [bad] = lastMessage(f, 1).content as Anthropic.ToolResultBlockParam[];
    expect(bad).toMatchObject({ type: 'tool_result', is_error: true, content: expect.stringContaining('command') });
    const [good] = lastMessage(f, 2).content as Anthropic.ToolResultBlockParam[];
    expect(good!.is_error).toBeFalsy();
  }, 900_000);

  it('rejects bad input with exit code 2, naming the file, field or flag, before running anything', async () => {
    const harness = path.join(tmp, 'bad-harness');
    await mkdir(harness);
    await writeFile(path.join(harness, 'harness.yaml'), `model: ${MODEL}\nmaxTurns: many\n`);
    await writeFile(path.join(harness, 'system.md'), 'You solve tasks.\n');
    const r1 = await runCli(['eval', TASK, '--harness', harness], null);
    expect(r1).toMatchObject({ code: 2, stdout: '' });
    expect(r1.stderr).toContain(path.join(harness, 'harness.yaml'));
    expect(r1.stderr).toContain('maxTurns');

    const notATask = path.join(tmp, 'not-a-task');
    await mkdir(notATask);
    await writeFile(path.join(notATask, 'instruction.md'), 'Do something.\n');
    const r2 = await runCli(['eval', notATask], null);
    expect(r2).toMatchObject({ code: 2, stdout: '' });
    expect(r2.stderr).toContain(notATask);
    expect(r2.stderr).toContain('task.toml');

    const r3 = await runCli(['eval', TASK, '--concurrency', '0'], null);
    expect(r3).toMatchObject({ code: 2, stdout: '' });
    expect(r3.stderr).toContain('--concurrency');
  }, 900_000);

  it('a task with several metrics and no `reward` one: --metric names the reward, every metric is reported', async () => {
    const task = path.join(tmp, 'two-metrics');
    const put = async (rel: string, text: string): Promise<void> => {
      await mkdir(path.dirname(path.join(task, rel)), { recursive: true });
      await writeFile(path.join(task, rel), text, { mode: 0o755 });
    };
    await put('task.toml', 'version = "1.0"\n[environment]\nmemory_mb = 256\n');
    await put('instruction.md', 'Write "ok" to /app/out.txt.\n');
    await put('environment/Dockerfile', 'FROM debian:bookworm-slim\nWORKDIR /app\n');
    await put('solution/solve.sh', 'echo ok > /app/out.txt\n');
    await put(
      'tests/test.sh',
      'c=0; [ "$(cat /app/out.txt)" = ok ] && c=1\necho "{\\"correctness\\": $c, \\"performance\\": 0.5}" > /logs/verifier/reward.json\n',
    );
    const unnamed = await runCli(['eval', task, '--agent', 'oracle', '--json', '--out', path.join(tmp, 'm0')], null);
    expect(unnamed.code).toBe(1);
    const [t0] = jsonLines(unnamed.stdout);
    expect(t0).toMatchObject({ reward: 0, rewards: { correctness: 1, performance: 0.5 } });
    expect(String(t0!.error)).toContain('autoagent eval --metric');

    for (const [metric, reward] of [
      ['correctness', 1],
      ['performance', 0.5],
    ] as const) {
      const r = await runCli(
        ['eval', task, '--agent', 'oracle', '--metric', metric, '--json', '--out', path.join(tmp, `m-${metric}`)],
        null,
      );
      expect(r.code).toBe(0);
      const [trial, summary] = jsonLines(r.stdout);
      expect(trial).toMatchObject({ reward, error: null, rewards: { correctness: 1, performance: 0.5 } });
      expect(summary).toMatchObject({ metric, meanReward: reward, metrics: { correctness: 1, performance: 0.5 } });
    }
    const human = await runCli(
      ['eval', task, '--agent', 'oracle', '--metric', 'performance', '--out', path.join(tmp, 'mh')],
      null,
    );
    expect(human.stdout).toMatch(/^FAIL two-metrics #0 reward=0\.50 \[correctness=1\.00 performance=0\.50\] cost=/m);
  }, 900_000);

  it('prints a human line per trial (task, reward, cost, tokens, time) and a summary', async () => {
    // Answers by conversation turn, so the two repeats running in parallel each get the whole script.
    const byTurn: FakeReply[] = [
      { content: [toolUse('bash', { command: solve })], usage: { input_tokens: 100, output_tokens: 20 } },
      { content: [toolUse('finish', { summary: 'done' })], usage: { input_tokens: 150, output_tokens: 10 } },
    ];
    const f = await fake((req) => byTurn[turnOf(req)] ?? { error: 'bad_request', message: 'script exhausted' });
    const out = path.join(tmp, 'human');
    const r = await runCli(
      ['eval', TASK, '--model', MODEL, '--repeats', '2', '--concurrency', '2', '--out', out],
      f.url,
    );
    expect(r.code).toBe(0);
    expect(f.requests).toHaveLength(4);
    for (const repeat of [0, 1]) {
      expect(r.stdout).toMatch(
        new RegExp(
          `^PASS text-word-frequency #${repeat} reward=1\\.00 cost=\\$0\\.\\d{4} tokens=280 time=\\d+\\.\\ds$`,
          'm',
        ),
      );
    }
    expect(r.stdout).toMatch(/^2\/2 passed, mean reward 1\.000, 0 errors, cost \$0\.\d{4}, 560 tokens, \d+\.\ds → /m);
    expect(r.stdout).toContain(out);
    expect(r.stdout).not.toContain('{"type"');
  }, 900_000);
});
