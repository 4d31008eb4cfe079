import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulate } from '../../../benchmarks/search-sim/run';
import { loadScenario, ScenarioError } from '../../../benchmarks/search-sim/scenario';
import { STRATEGY_NAMES } from '../../../benchmarks/search-sim/strategies';

const SCENARIOS = path.resolve(__dirname, '../../../benchmarks/search-sim/scenarios');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-sim-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, body: unknown): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
};

describe('search-quality simulator', () => {
  it('ships easy, noisy and mostly-harmful scenarios that load', () => {
    const names = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));
    expect(names).toEqual(expect.arrayContaining(['easy.json', 'noisy.json', 'mostly-harmful.json']));
    for (const n of names) expect(() => loadScenario(path.join(SCENARIOS, n))).not.toThrow();
  });

  it('runs every strategy on a shipped scenario at the same budget, with sane figures', () => {
    const file = path.join(SCENARIOS, 'noisy.json');
    const scenario = loadScenario(file);
    const report = simulate(scenario, file, { seeds: 3 });
    expect(report.strategies.map((s) => s.strategy)).toEqual([...STRATEGY_NAMES]);
    for (const s of report.strategies) {
      const h = s.trueHoldoutSuccess;
      for (const x of [h.mean, h.p10, h.p90]) expect(x).toBeGreaterThan(0);
      for (const x of [h.mean, h.p10, h.p90]) expect(x).toBeLessThan(1);
      expect(h.p10).toBeLessThanOrEqual(h.p90);
      expect(h.sd).toBeGreaterThanOrEqual(0);
      // Every strategy spends the budget (a cancelled trial in flight may take it a window past).
      expect(s.trialsSpent).toBeGreaterThanOrEqual(scenario.budgetTrials);
      expect(s.trialsSpent).toBeLessThanOrEqual(scenario.budgetTrials + scenario.concurrency);
      expect(s.candidatesPerCampaign).toBeGreaterThan(0);
      if (s.falseAcceptanceRate !== null) expect(s.falseAcceptanceRate).toBeGreaterThanOrEqual(0);
      if (s.falseAcceptanceRate !== null) expect(s.falseAcceptanceRate).toBeLessThanOrEqual(1);
    }
    // One run per task makes keep/discard's and GEPA's candidates cheaper than a full paired evaluation.
    const per = Object.fromEntries(report.strategies.map((s) => [s.strategy, s.trialsPerCandidate]));
    expect(per['keep-discard']).toBeLessThan(per['ours-full'] as number);
    expect(per['ours-racing']).toBeLessThan(per['ours-full'] as number);
    // Same seeds, same result: the simulator is deterministic.
    expect(simulate(scenario, file, { seeds: 3 })).toEqual(report);
  });

  it('runs a scenario written here, in the documented format, with named tasks and listed success rates', () => {
    const file = write('unseen.json', {
      trainTasks: ['fix-bug', 'write-test', 'refactor', 'parse-log', 'csv-merge', 'deploy'],
      holdoutTasks: ['port-lib', 'docs'],
      seedSuccess: { train: [0.1, 0.5, 0.9, 0.3, 0.6, 0.0], holdout: [0.4, 0.7] },
      mutation: { help: 0.5, neutral: 0.3, hurt: 0.2, helpEffect: 1.2, hurtEffect: { mean: 1, sd: 0.5 } },
      budgetTrials: 120,
      proposalsPerGeneration: 3,
      repeats: 1,
    });
    const report = simulate(loadScenario(file), file, { seeds: 2, strategies: ['gepa', 'ours-racing'] });
    expect(report.strategies.map((s) => s.strategy)).toEqual(['gepa', 'ours-racing']);
    expect(report.seedHoldout).toBeCloseTo(0.55, 2); // the listed holdout rates, not a drawn one
    for (const s of report.strategies) expect(s.trialsSpent).toBeGreaterThanOrEqual(120);
  });

  it.each([
    [
      'mutation.help',
      { mutation: { help: 0.5, neutral: 0.3, hurt: 0.3, helpEffect: 1, hurtEffect: 1 } },
      'expected help + neutral + hurt = 1',
    ],
    [
      'mutation.hurtEffect',
      { mutation: { help: 0.5, neutral: 0.3, hurt: 0.2, helpEffect: 1, hurtEffect: 'big' } },
      'expected a non-negative number or { mean, sd }',
    ],
    [
      'seedSuccess.train',
      { seedSuccess: { train: [0.5], holdout: [0.5, 0.5] } },
      'expected 4 probabilities (one per train task)',
    ],
    ['seedSuccess.beta.a', { seedSuccess: { beta: { a: -1, b: 2 } } }, 'expected a positive number'],
    ['budgetTrials', { budgetTrials: 0 }, 'expected a positive integer'],
    ['repeatz', { repeatz: 2 }, 'unknown field'],
  ])('a bad scenario names the file and the field (%s)', (field, over, message) => {
    const base = {
      trainTasks: 4,
      holdoutTasks: 2,
      seedSuccess: { uniform: { min: 0.2, max: 0.8 } },
      mutation: { help: 0.3, neutral: 0.4, hurt: 0.3, helpEffect: 1, hurtEffect: 1 },
      budgetTrials: 50,
      proposalsPerGeneration: 2,
      repeats: 2,
    };
    const file = write(`bad-${field}.json`, { ...base, ...over });
    expect(() => loadScenario(file)).toThrow(ScenarioError);
    expect(() => loadScenario(file)).toThrow(`${file}: ${field}: ${message}`);
  });

  it('says so when the file is missing or not JSON', () => {
    expect(() => loadScenario(path.join(dir, 'nope.json'))).toThrow(
      /nope\.json: cannot read the scenario file \(ENOENT\)/,
    );
    const file = write('broken.json', '{ "trainTasks": ');
    expect(() => loadScenario(file)).toThrow(/broken\.json: not valid JSON/);
  });
});
