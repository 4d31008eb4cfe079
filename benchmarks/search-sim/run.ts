/**
 * Search-quality simulator: runs every strategy (AutoAgent-style keep/discard, GEPA-style Pareto with
 * minibatch screening, ours with each evaluation policy) on a scenario's synthetic world with the same
 * trial budget, over N seeds, and reports the true holdout success of each final pick, the
 * false-acceptance rate and the trials spent. CPU only: no Docker, no model.
 *
 * Run: npm run build && node dist/benchmarks/search-sim/run.js --scenario FILE.json [--seeds N] [--first-seed S] [--json]
 *        [--budget TRIALS] [--strategies a,b,...]
 * Exit codes: 0 done; 2 bad input (the file and field are named).
 */
import { Command, InvalidArgumentError } from 'commander';
import { runCampaign, type RunResult } from './campaign';
import { loadScenario, ScenarioError, type Scenario } from './scenario';
import { buildStrategy, STRATEGY_NAMES, type StrategyName } from './strategies';
import { summarise, table, type StrategySummary } from './summary';
import { createWorld } from './world';

export interface SimulationReport {
  scenario: string;
  file: string;
  seeds: number;
  /** Seeds run: firstSeed … firstSeed + seeds − 1 (a fresh range confirms what an earlier one suggested). */
  firstSeed: number;
  budgetTrials: number;
  repeats: number;
  alpha: number;
  seedHoldout: number;
  strategies: StrategySummary[];
}

export function simulate(
  scenario: Scenario,
  file: string,
  opts: { seeds: number; firstSeed?: number; strategies?: readonly StrategyName[] },
): SimulationReport {
  const names = opts.strategies ?? STRATEGY_NAMES;
  const runs = new Map<StrategyName, RunResult[]>(names.map((n) => [n, []]));
  let seedHoldout = 0;
  const first = opts.firstSeed ?? 0;
  for (let seed = first; seed < first + opts.seeds; seed++) {
    const world = createWorld(scenario, seed);
    for (const name of names) {
      const r = runCampaign(scenario, world, buildStrategy(name, scenario), seed);
      runs.get(name)?.push(r);
      seedHoldout += r.seedHoldout / names.length;
    }
  }
  return {
    scenario: scenario.name ?? file,
    file,
    seeds: opts.seeds,
    firstSeed: first,
    budgetTrials: scenario.budgetTrials,
    repeats: scenario.repeats,
    alpha: scenario.alpha,
    seedHoldout: Math.round((seedHoldout / Math.max(1, opts.seeds)) * 1e4) / 1e4,
    strategies: names.map((n) => summarise(n, runs.get(n) ?? [])),
  };
}

const positiveInt =
  (what: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer for ${what}`);
    return n;
  };

const nonNegativeInt =
  (what: string) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer for ${what}`);
    return n;
  };

const strategyList = (v: string): StrategyName[] => {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => !(STRATEGY_NAMES as readonly string[]).includes(n));
  if (bad !== undefined)
    throw new InvalidArgumentError(`unknown strategy "${bad}" (expected ${STRATEGY_NAMES.join(', ')})`);
  return names as StrategyName[];
};

function main(argv: string[]): void {
  const program = new Command('search-sim')
    .requiredOption('--scenario <file>', 'scenario JSON file')
    .option('--seeds <n>', 'simulated campaigns per strategy', positiveInt('--seeds'), 50)
    .option('--first-seed <n>', 'the first seed (default 0)', nonNegativeInt('--first-seed'), 0)
    .option('--budget <trials>', 'override the scenario budgetTrials', positiveInt('--budget'))
    .option('--strategies <list>', `comma-separated subset of ${STRATEGY_NAMES.join(',')}`, strategyList)
    .option('--json', 'print the report as one JSON object')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const o = program.opts<{
    scenario: string;
    seeds: number;
    firstSeed: number;
    budget?: number;
    strategies?: StrategyName[];
    json?: boolean;
  }>();
  let scenario: Scenario;
  try {
    scenario = loadScenario(o.scenario);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    process.stderr.write(`search-sim: ${err.message}\n`);
    process.exit(2);
  }
  if (o.budget !== undefined) scenario = { ...scenario, budgetTrials: o.budget };
  const started = process.hrtime.bigint();
  const report = simulate(scenario, o.scenario, { seeds: o.seeds, firstSeed: o.firstSeed, strategies: o.strategies });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `scenario ${report.scenario}: ${report.seeds} seeds from ${report.firstSeed}, budget ${report.budgetTrials} trials, repeats ${report.repeats}, alpha ${report.alpha}; ` +
      `seed harness holdout ${report.seedHoldout.toFixed(3)} (${secs.toFixed(1)} s)\n\n${table(report.strategies)}\n`,
  );
}

if (require.main === module) main(process.argv);
