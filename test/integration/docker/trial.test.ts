/**
 * runTrial end to end on tiny tasks with a real daemon: oracle and noop, agent overrides (timeouts,
 * crashes), build failures, files written, containers gone, and Docker being unreachable is the one thing
 * that throws.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import Docker from 'dockerode';
import { loadTrajectory } from '../../../src/agent/atif/io';
import { zeroUsage } from '../../../src/llm/usage';
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import { readTrialResult } from '../../../src/trial/artifacts';
import { runTrial, trialIdFor, type AgentRunner } from '../../../src/trial/run-trial';
import { containersForTrial, makeTask, requireDocker, tmpDir } from './support';

const provider = new DockerSandboxProvider();
let outDir: string;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-h2-trials-');
});

test('oracle solves the task: reward 1, autoagent.json, agent/trajectory.json (one step) and verifier/test-stdout.txt written', async () => {
  const task = await makeTask();
  const beats: unknown[] = [];
  const r = await runTrial({ task, agent: 'oracle', repeat: 0, outDir, provider, heartbeat: (d) => beats.push(d) });
  expect(r).toMatchObject({
    task: 'tiny-task',
    agent: 'oracle',
    reward: 1,
    error: null,
    stopReason: 'oracle',
    turns: 1,
    harnessId: null,
    model: null,
  });
  expect(r.trialId).toBe(
    trialIdFor({ taskHash: task.hash, agentKey: 'oracle', model: null, repeat: 0, taskName: task.name }),
  );
  const dir = path.join(outDir, r.trialId);
  expect(await readTrialResult(dir)).toEqual(r);
  const traj = await loadTrajectory(r.trajectoryPath!);
  expect(traj.session_id).toBe(r.trialId);
  expect(traj.steps).toHaveLength(1);
  expect(traj.steps[0]?.tool_calls?.[0]).toMatchObject({
    function_name: 'bash',
    arguments: { command: 'bash /solution/solve.sh' },
  });
  expect(r.trajectoryPath).toBe(path.join(dir, 'agent', 'trajectory.json'));
  expect(traj.steps[0]).toMatchObject({ llm_call_count: 0 });
  expect(await fs.readFile(path.join(dir, 'verifier', 'test-stdout.txt'), 'utf8')).toBe(r.verifier.output);
  expect(await fs.readFile(path.join(dir, 'verifier', 'reward.txt'), 'utf8')).toBe('1\n');
  expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.agentMs + r.timings.verifyMs);
  expect(beats).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ trialId: r.trialId, phase: 'agent' }),
      expect.objectContaining({ phase: 'verify' }),
    ]),
  );
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
});

test('noop fails the task cleanly: reward 0, no error', async () => {
  const r = await runTrial({ task: await makeTask(), agent: 'noop', repeat: 1, outDir, provider });
  expect(r).toMatchObject({
    reward: 0,
    error: null,
    stopReason: 'noop',
    turns: 0,
    verifier: { reward: 0, reason: null, exitCode: 0 },
  });
  // Harbor requires a step: a run that recorded none has one system step saying so.
  expect((await loadTrajectory(r.trajectoryPath!)).steps).toEqual([
    expect.objectContaining({ source: 'system', extra: { no_steps: true } }),
  ]);
  expect(await containersForTrial(r.trialId)).toHaveLength(0);
});

test('an agent past its deadline is stopped with AgentTimeoutError and the verifier still runs', async () => {
  const task = await makeTask({ toml: 'version = "1.0"\n[agent]\ntimeout_sec = 2\n' });
  const slow: AgentRunner = async ({ sandbox, signal }) => {
    await sandbox.exec('echo hello > /app/out.txt');
    await new Promise((res) => signal?.addEventListener('abort', res, { once: true }));
    return { stopReason: 'end_turn', turns: 3, usage: zeroUsage(), error: null, finalMessage: null };
  };
  // The runner waits for its abort forever: only the 2 s deadline can end it (no clock is asserted).
  const r = await runTrial({ task, agent: 'noop', repeat: 2, outDir, provider, runAgent: slow });
  expect(r).toMatchObject({
    stopReason: 'timeout',
    error: 'AgentTimeoutError: agent did not finish within 2s',
    verifier: { reward: 1 },
  });
});

test('an agent that throws gives reward 0 with its error; the sandbox is still removed', async () => {
  const boom: AgentRunner = async () => {
    throw new Error('agent exploded');
  };
  const r = await runTrial({
    task: await makeTask(),
    agent: 'noop',
    repeat: 3,
    outDir,
    provider,
    runAgent: boom,
    trialId: 'h2-boom-trial',
  });
  expect(r).toMatchObject({ trialId: 'h2-boom-trial', reward: 0, stopReason: 'error', error: 'Error: agent exploded' });
  expect(await containersForTrial('h2-boom-trial')).toHaveLength(0);
});

test('a task without solution/ fails the oracle with a clear error', async () => {
  const r = await runTrial({ task: await makeTask({ solveSh: null }), agent: 'oracle', repeat: 4, outDir, provider });
  expect(r).toMatchObject({ reward: 0, stopReason: 'error' });
  expect(r.error).toContain('has no solution/solve.sh');
});

test('an image that fails to build scores 0 with ImageBuildError and keeps build.log', async () => {
  const task = await makeTask({
    name: 'broken-env',
    dockerfile: `FROM debian:bookworm-slim\nRUN echo h2-trial-boom-${Date.now()} && false\n`,
  });
  const r = await runTrial({ task, agent: 'oracle', repeat: 0, outDir, provider });
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^ImageBuildError: image autoagent-env\/broken-env:/);
  expect(await fs.readFile(path.join(outDir, r.trialId, 'build.log'), 'utf8')).toContain('h2-trial-boom');
  expect(r.verifier.reason).toBe('verifier not run');
});

test('Docker being unreachable is systemic: runTrial throws DockerUnavailableError', async () => {
  const dead = new DockerSandboxProvider({ docker: new Docker({ socketPath: '/nonexistent/docker.sock' }) });
  await expect(
    runTrial({ task: await makeTask(), agent: 'noop', repeat: 0, outDir, provider: dead }),
  ).rejects.toMatchObject({ name: 'DockerUnavailableError' });
});
