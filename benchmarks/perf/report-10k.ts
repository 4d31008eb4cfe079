/**
 * Report performance on a synthetic campaign of 10,000 trials (small real-shaped ATIF trajectories):
 * store fill time, `generateReport` time and file size, page load in headless Chromium (navigation to
 * rendered), opening one trajectory (gunzip in the browser), and the live server's /data.json.
 * Run: npm run build && node dist/benchmarks/perf/report-10k.js [trials=10000] [keep-dir]
 * (with keep-dir the synthetic campaign is written there and kept, e.g. to open its report.html by hand)
 * Needs /usr/bin/chromium (or AUTOAGENT_CHROMIUM) and playwright-core (dev dependency).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { generateReport } from '../../src/report/generate';
import { startReportServer } from '../../src/report/server';
import { openStore } from '../../src/store/store';
import type { CampaignStore } from '../../src/store/store';
import type { TrialResult } from '../../src/trial/types';

const CAMPAIGN = 'perf';
const TRAIN_TASKS = Array.from({ length: 40 }, (_, i) => `task-${String(i).padStart(2, '0')}`);
const HOLDOUT_TASKS = Array.from({ length: 10 }, (_, i) => `holdout-${i}`);
const usage = { inputTokens: 4000, outputTokens: 300, cacheReadTokens: 1000, cacheWriteTokens: 0, costUsd: 0.004 };

const reward = (cand: number, task: string): number =>
  (cand * 7919 + task.length * 31 + Number(task.slice(-2).replace(/\D/g, '') || 0) * 13) % 10 <
  3 + Math.min(5, cand / 50)
    ? 1
    : 0;

function trajectory(id: string, task: string, r: number): object {
  const step = (i: number, cmd: string, out: string) => ({
    step_id: i,
    source: 'agent',
    message: `Step ${i}: running ${cmd}`,
    tool_calls: [{ tool_call_id: `t${i}`, function_name: 'bash', arguments: { command: cmd } }],
    observation: { results: [{ source_call_id: `t${i}`, content: out }] },
  });
  return {
    schema_version: 'ATIF-v1.4',
    session_id: id,
    agent: { name: 'autoagent-harness', version: '0.1.0', model_name: 'claude-perf' },
    steps: [
      { step_id: 1, source: 'system', message: 'You are a terminal agent.' },
      { step_id: 2, source: 'user', message: `Solve ${task}.` },
      step(3, 'ls -la /app', 'total 8\ndrwxr-xr-x 2 root root 4096 .\n'.repeat(5)),
      step(4, `cat /app/${task}.py`, 'def solve():\n    return 42\n'.repeat(8)),
      step(5, 'pytest -q', r ? '3 passed' : '1 failed, 2 passed'),
      { step_id: 6, source: 'agent', message: 'Done.' },
    ],
  };
}

function trial(trialId: string, harnessId: string, task: string, repeat: number, r: number): TrialResult {
  return {
    trialId,
    task,
    agent: 'harness',
    harnessId,
    model: 'claude-perf',
    repeat,
    reward: r,
    error: null,
    stopReason: 'finished',
    turns: 4,
    usage,
    verifier: { reward: r, reason: null, exitCode: r ? 0 : 1, output: r ? 'ok' : 'FAILED' },
    timings: { buildMs: 5, startMs: 300, agentMs: 20000, verifyMs: 900, totalMs: 21205 },
    trajectoryPath: null,
    startedAt: new Date().toISOString(),
  };
}

async function record(store: CampaignStore, cand: string, task: string, repeat: number, r: number): Promise<void> {
  const id = `tr-${cand}-${task}-${repeat}`;
  await store.recordTrial(trial(id, cand, task, repeat, r), {
    campaign: CAMPAIGN,
    candidateId: cand,
    taskHash: `h-${task}`,
    trajectoryJson: trajectory(id, task, r),
  });
}

/** 1 seed + children (hill-climb on the running best), 40 train tasks each; holdout for seed and best. */
async function fill(dir: string, trials: number): Promise<void> {
  let t = Date.parse('2025-06-01T00:00:00Z');
  const store = await openStore(dir, { now: () => new Date((t += 2000)) });
  const holdoutTrials = 2 * HOLDOUT_TASKS.length * 2;
  const candidates = Math.max(1, Math.floor((trials - holdoutTrials) / TRAIN_TASKS.length));
  await store.appendEvent(CAMPAIGN, 'prepared', {
    seed: 'c0',
    train: TRAIN_TASKS.length,
    holdout: HOLDOUT_TASKS.length,
    budget: { usd: 100 },
  });
  let best = { id: 'c0', score: -1 };
  for (let c = 0; c < candidates; c++) {
    const id = `c${c}`;
    const rewards: Record<string, number[]> = {};
    for (const task of TRAIN_TASKS) {
      const r = reward(c, task);
      rewards[task] = [r];
      await record(store, id, task, 0, r);
    }
    const score = Object.values(rewards).reduce((s, [r]) => s + (r ?? 0), 0) / TRAIN_TASKS.length;
    const accepted = c === 0 || score > best.score;
    await store.recordCandidate(
      {
        id,
        parentId: c === 0 ? null : best.id,
        generation: c === 0 ? 0 : 1 + Math.floor((c - 1) / 4),
        status: accepted ? 'evaluated' : 'rejected',
        verdict: accepted ? 'accepted' : 'rejected',
        rationale: `Change ${c}: tweak the prompt.`,
        taskRewards: rewards,
        meanReward: score,
        costUsd: 0.2,
        complexity: 1000 + c,
      },
      {
        campaign: CAMPAIGN,
        diff:
          c === 0 ? undefined : `--- a/system.md\n+++ b/system.md\n@@ -1,1 +1,1 @@\n-old line ${c}\n+new line ${c}\n`,
      },
    );
    if (accepted) best = { id, score };
  }
  for (const id of new Set(['c0', best.id]))
    for (const task of HOLDOUT_TASKS)
      for (const rep of [0, 1]) await record(store, id, task, rep, reward(Number(id.slice(1)) + rep, task));
  await store.appendEvent(CAMPAIGN, 'completed', { stopReason: 'benchmark' });
  await store.close();
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const keep = process.argv[3];
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'aa-report-perf-'));
  if (keep && fs.existsSync(path.join(dir, 'store.sqlite')))
    throw new Error(`${dir} already holds a store; pass an empty folder`);
  try {
    let t0 = performance.now();
    await fill(dir, n);
    const fillMs = performance.now() - t0;
    const gen = await generateReport(dir);
    const browser = await chromium.launch({
      executablePath: process.env.AUTOAGENT_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    t0 = performance.now();
    await page.goto(`file://${gen.file}`, { timeout: 120_000 });
    await page.waitForSelector('body[data-rendered="true"]', { state: 'attached', timeout: 120_000 });
    const loadWallMs = performance.now() - t0;
    const renderMs = Number(await page.getAttribute('body', 'data-render-ms'));
    t0 = performance.now();
    await page.locator('#aa-candidate tr.trial').first().click();
    await page.waitForSelector('#aa-trajectory .step');
    const openMs = performance.now() - t0;
    await browser.close();
    const server = await startReportServer({ dir, port: 0 });
    t0 = performance.now();
    const body = await (await fetch(server.url + 'data.json')).text();
    const dataJsonMs = performance.now() - t0;
    t0 = performance.now();
    await (await fetch(server.url + 'data.json')).text();
    const dataJsonCachedMs = performance.now() - t0;
    await server.close();
    const r = {
      trials: gen.trials,
      candidates: gen.candidates,
      fillStoreMs: Math.round(fillMs),
      generateMs: Math.round(gen.ms.total),
      generateParts: Object.fromEntries(Object.entries(gen.ms).map(([k, v]) => [k, Math.round(v)])),
      fileMB: +(gen.bytes / 1048576).toFixed(2),
      trajectoriesRawMB: +(gen.trajectories.rawBytes / 1048576).toFixed(2),
      trajectoriesGzMB: +(gen.trajectories.gzBytes / 1048576).toFixed(2),
      pageLoadToRenderedMs: Math.round(loadWallMs),
      inPageRenderMs: renderMs,
      openTrajectoryMs: Math.round(openMs),
      liveDataJsonMs: Math.round(dataJsonMs),
      liveDataJsonUnchangedMs: Math.round(dataJsonCachedMs),
      liveDataJsonMB: +(body.length / 1048576).toFixed(2),
      pageErrors: errors,
    };
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    if (errors.length > 0) process.exitCode = 1;
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
