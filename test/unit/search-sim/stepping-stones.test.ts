import path from 'node:path';
import { simulate } from '../../../benchmarks/search-sim/run';
import { loadScenario } from '../../../benchmarks/search-sim/scenario';

const file = path.resolve(__dirname, '../../../benchmarks/search-sim/scenarios/noisy.json');

describe('search-sim: stepping stones', () => {
  const scenario = loadScenario(file);
  const report = simulate(scenario, file, {
    seeds: 20,
    strategies: ['keep-discard', 'gepa', 'ours-full', 'ours-minibatch'],
  });
  const by = Object.fromEntries(report.strategies.map((s) => [s.strategy, s]));

  it('keeps stones for our strategies only (the peers are emulated as they are)', () => {
    expect(by['keep-discard']?.stonesPerCampaign).toBe(0);
    expect(by.gepa?.stonesPerCampaign).toBe(0);
    expect(by['ours-full']?.stonesPerCampaign).toBeGreaterThan(0);
    expect(by['ours-minibatch']?.stonesPerCampaign).toBeGreaterThan(0);
  });

  it("keeps ours' false-acceptance rate, against the parent and against the anchor, at or below alpha", () => {
    for (const s of [by['ours-full'], by['ours-minibatch']]) {
      expect(s?.falseAcceptanceRate ?? 0).toBeLessThanOrEqual(scenario.alpha);
      expect(s?.belowAnchorShareOfAccepted ?? 0).toBeLessThan(0.5); // accepted changes are mostly real over their anchor
    }
  });
});
