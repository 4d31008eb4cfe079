/**
 * The local-model example campaign (examples/local-campaign) run to the end for real: the embedded model
 * (node-llama-cpp, CPU) as task agent and meta-agent, real Docker trials, the embedded Temporal dev server.
 * Prints the seed, best train / holdout scores, trials, wall time, the model's tokens/s inside the campaign
 * (from the per-request stats the engine writes to AUTOAGENT_LOCAL_STATS_FILE) and the machine's load.
 * The campaign runs in a temporary copy, so the example folder gets no .autoagent/ state.
 * A small meta-agent may hand back an unchanged harness; the generation then waits for retry-generation.
 * This script does what a user would: `retry-generation` up to --retries times (default 2), then `stop`
 * (the holdout is still scored), and reports how many retries it took.
 * Run: bash scripts/setup.sh && node dist/benchmarks/perf/local-campaign.js [seed=0] [--model local/<name>] [--retries N]
 */
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { resolveLocalModel } from '../../src/llm/local/models';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLE = path.join(ROOT, 'examples/local-campaign');

interface Stat {
  at: number;
  ms: number;
  promptTokens: number;
  reusedTokens: number;
  completionTokens: number;
  stop: string;
}

function args(): { seed: number; model: string | null; retries: number } {
  const a = process.argv.slice(2);
  const opt = (name: string): string | null => (a.indexOf(name) >= 0 ? (a[a.indexOf(name) + 1] ?? null) : null);
  const taken = new Set(
    ['--model', '--retries'].flatMap((n) => (a.indexOf(n) >= 0 ? [a.indexOf(n), a.indexOf(n) + 1] : [])),
  );
  const rest = a.filter((_, j) => !taken.has(j));
  return { seed: Number(rest[0] ?? 0), model: opt('--model'), retries: Number(opt('--retries') ?? 2) };
}

const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const control = (cmd: string, yamlPath: string): Promise<void> =>
  new Promise((resolve) => execFile(process.execPath, [CLI, cmd, yamlPath], () => resolve()));

/** retry-generation while retries are left, then stop; one action per waiting episode. */
function onWaiting(
  yamlPath: string,
  retries: number,
): { handle(status: Record<string, unknown>): void; used(): { retries: number; stopped: boolean } } {
  let used = 0;
  let stopped = false;
  let lastAttempt = -1;
  return {
    handle(status) {
      const waiting = status['waitingForRetry'] as { attempt?: number } | null;
      if (!waiting || stopped || waiting.attempt === lastAttempt) return;
      lastAttempt = waiting.attempt ?? 0;
      if (used < retries) {
        used++;
        void control('retry-generation', yamlPath);
      } else {
        stopped = true;
        void control('stop', yamlPath);
      }
    },
    used: () => ({ retries: used, stopped }),
  };
}

async function prepare(seed: number, model: string | null): Promise<{ dir: string; yamlPath: string; name: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aa-local-campaign-'));
  const cfg = parse(await fs.readFile(path.join(EXAMPLE, 'campaign.yaml'), 'utf8')) as Record<string, unknown>;
  const abs = (p: unknown): string => path.resolve(EXAMPLE, String(p));
  Object.assign(cfg, {
    benchmark: abs(cfg['benchmark']),
    seedHarness: abs(cfg['seedHarness']),
    program: abs(cfg['program']),
    seed,
  });
  if (model) cfg['taskModel'] = model;
  const yamlPath = path.join(dir, 'campaign.yaml');
  await fs.writeFile(yamlPath, stringify(cfg));
  return { dir, yamlPath, name: String(cfg['name']) };
}

function runCampaign(
  yamlPath: string,
  statsFile: string,
  waiting: ReturnType<typeof onWaiting>,
): Promise<{ code: number | null; summary: Record<string, unknown> | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', yamlPath, '--json'], {
      env: { ...process.env, AUTOAGENT_LOCAL_STATS_FILE: statsFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let summary: Record<string, unknown> | null = null;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
        try {
          const j = JSON.parse(line) as Record<string, unknown>;
          if (j['type'] === 'summary') summary = j;
          if (j['type'] === 'status') waiting.handle(j['status'] as Record<string, unknown>);
        } catch {
          /* a plain line */
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, summary }));
  });
}

async function readStats(file: string): Promise<Stat[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Stat);
}

async function main(): Promise<void> {
  const { seed, model, retries } = args();
  const ref = model ?? 'local';
  const weights = resolveLocalModel(ref === 'local' ? 'default' : ref.slice('local/'.length)); // a clear error when not installed
  const { dir, yamlPath, name } = await prepare(seed, model);
  const statsFile = path.join(dir, 'local-model-stats.jsonl');
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]!), 15_000);
  console.log(
    `local campaign "${name}" (seed ${seed}, model ${ref} = ${weights.file}) in ${dir}; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const t0 = Date.now();
  const waiting = onWaiting(yamlPath, retries);
  const { code, summary } = await runCampaign(yamlPath, statsFile, waiting);
  const wallS = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const stats = await readStats(statsFile);
  const sum = (f: (s: Stat) => number): number => stats.reduce((a, s) => a + f(s), 0);
  const genTokens = sum((s) => s.completionTokens);
  const evalTokens = sum((s) => s.promptTokens - s.reusedTokens);
  const modelS = sum((s) => s.ms) / 1000;
  const meanLoad = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : os.loadavg()[0]!;
  const best = (summary?.['best'] ?? null) as { trainScore: number; holdoutScore: number | null } | null;
  const seedScore = (summary?.['seed'] ?? null) as { trainScore: number; holdoutScore: number | null } | null;
  const ledger = (summary?.['ledger'] ?? {}) as { trials?: number; proposals?: number; tokens?: number };
  const result = {
    seed,
    exitCode: code,
    stopReason: summary?.['stopReason'] ?? null,
    seedHarness: seedScore,
    best,
    candidates: summary?.['candidates'] ?? null,
    trials: ledger.trials ?? null,
    proposals: ledger.proposals ?? null,
    retryGenerations: waiting.used().retries,
    stoppedAfterInvalidProposals: waiting.used().stopped,
    wallTimeS: Math.round(wallS),
    model: {
      ref,
      file: weights.file,
      requests: stats.length,
      promptTokensEvaluated: evalTokens,
      promptTokensReused: sum((s) => s.reusedTokens),
      generatedTokens: genTokens,
    },
    // Requests overlap (concurrency 2), so these are throughput over the time the model was busy, per request.
    tokensPerSecond: {
      generatedPerRequestSecond: modelS > 0 ? +(genTokens / modelS).toFixed(2) : null,
      allTokensPerRequestSecond: modelS > 0 ? +((genTokens + evalTokens) / modelS).toFixed(2) : null,
      generatedPerWallSecond: +(genTokens / wallS).toFixed(2),
    },
    machine: {
      cores: os.cpus().length,
      meanLoad1m: +meanLoad.toFixed(1),
      maxLoad1m: loads.length ? +Math.max(...loads).toFixed(1) : null,
    },
    campaignDir: path.join(dir, '.autoagent', name),
  };
  console.log(JSON.stringify({ type: 'local-campaign-result', ...result }, null, 2));
  if (code !== 0 || !summary) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
