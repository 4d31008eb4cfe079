/** Output of `eval`: progress bar + human lines on a TTY-friendly stream, or JSON lines for machines. */
import { MultiBar, Presets } from 'cli-progress';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TrialResult } from '../trial/types';
import { totalTokens } from '../llm/usage';

export interface EvalSummary {
  type: 'summary';
  trials: number;
  /** The reward.json metric that is each trial's reward. */
  metric: string;
  meanReward: number;
  /** Per metric recorded by any trial: its mean over the trials that recorded it. */
  metrics: Record<string, number>;
  passed: number;
  failed: number;
  errors: number;
  costUsd: number;
  tokens: number;
  durationMs: number;
  outDir: string;
}

/** Float sums print as 0.004070000000000001; ten decimals keep every real digit (prices are per MTok). */
const usd = (x: number): number => Math.round(x * 1e10) / 1e10;

const rewardsOf = (r: TrialResult): Record<string, number> => r.verifier?.rewards ?? {};

/** Each metric's mean over the trials that recorded it. */
function metricMeans(results: TrialResult[]): Record<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const r of results)
    for (const [k, v] of Object.entries(rewardsOf(r))) {
      const s = sums.get(k) ?? { total: 0, n: 0 };
      sums.set(k, { total: s.total + v, n: s.n + 1 });
    }
  return Object.fromEntries([...sums].map(([k, s]) => [k, s.total / s.n]));
}

/** `correctness=1.00 performance=0.50`: a trial's metrics when it recorded more than its reward. */
function otherMetrics(r: TrialResult): string {
  const entries = Object.entries(rewardsOf(r));
  if (entries.length <= 1 && entries.every(([k]) => k === 'reward')) return '';
  return ` [${entries.map(([k, v]) => `${k}=${v.toFixed(2)}`).join(' ')}]`;
}

function summarize(results: TrialResult[], durationMs: number, outDir: string, metric: string): EvalSummary {
  const sum = (f: (r: TrialResult) => number): number => results.reduce((acc, r) => acc + f(r), 0);
  return {
    type: 'summary',
    trials: results.length,
    metric,
    meanReward: results.length ? sum((r) => r.reward) / results.length : 0,
    metrics: metricMeans(results),
    passed: results.filter((r) => r.reward >= 1).length,
    failed: results.filter((r) => r.reward < 1).length,
    errors: results.filter((r) => r.error !== null).length,
    costUsd: usd(sum((r) => r.usage.costUsd)),
    tokens: sum((r) => totalTokens(r.usage)),
    durationMs,
    outDir,
  };
}

function trialLine(r: TrialResult): Record<string, unknown> {
  return {
    type: 'trial',
    task: r.task,
    repeat: r.repeat,
    trialId: r.trialId,
    agent: r.agent,
    model: r.model,
    reward: r.reward,
    rewards: rewardsOf(r),
    error: r.error,
    stopReason: r.stopReason,
    turns: r.turns,
    costUsd: usd(r.usage.costUsd),
    tokens: totalTokens(r.usage),
    durationMs: r.timings.totalMs,
    trajectoryPath: r.trajectoryPath,
  };
}

export function createReporter(opts: { json: boolean; total: number; outDir: string; metric?: string }) {
  // The bar only on a terminal; MultiBar.log keeps per-trial lines above it instead of tearing it.
  const bars =
    !opts.json && process.stderr.isTTY
      ? new MultiBar(
          { format: ' {bar} {value}/{total} trials | mean reward {mean}', hideCursor: true },
          Presets.shades_classic,
        )
      : null;
  const bar = bars?.create(opts.total, 0, { mean: '-' }) ?? null;
  let done = 0;
  let rewardSum = 0;
  const say = (line: string): void => {
    if (bars) bars.log(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  };
  return {
    trial(r: TrialResult): void {
      done++;
      rewardSum += r.reward;
      if (opts.json) return void process.stdout.write(`${JSON.stringify(trialLine(r))}\n`);
      const mark = r.reward >= 1 ? 'PASS' : 'FAIL';
      const secs = (r.timings.totalMs / 1000).toFixed(1);
      say(
        `${mark} ${r.task} #${r.repeat} reward=${r.reward.toFixed(2)}${otherMetrics(r)} cost=$${r.usage.costUsd.toFixed(4)} tokens=${totalTokens(r.usage)} time=${secs}s${r.error ? ` error: ${r.error}` : ''}`,
      );
      bar?.update(done, { mean: (rewardSum / done).toFixed(2) });
    },
    summary(results: TrialResult[], durationMs: number): void {
      const s = summarize(results, durationMs, opts.outDir, opts.metric ?? 'reward');
      mkdirSync(opts.outDir, { recursive: true });
      writeFileSync(path.join(opts.outDir, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(s)}\n`);
      bars?.stop();
      process.stdout.write(
        `\n${s.passed}/${s.trials} passed, mean reward ${s.meanReward.toFixed(3)}, ${s.errors} errors, cost $${s.costUsd.toFixed(4)}, ${s.tokens} tokens, ${(durationMs / 1000).toFixed(1)}s → ${s.outDir}\n`,
      );
    },
    close(): void {
      bars?.stop();
    },
  };
}
