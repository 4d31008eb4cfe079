/** The simulator as a user runs it: `node dist/benchmarks/search-sim/run.js --scenario FILE --seeds N [--json]`. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, ROOT } from './support/cli';

const SIM = path.join(ROOT, 'dist/benchmarks/search-sim/run.js');
const EASY = path.join(ROOT, 'benchmarks/search-sim/scenarios/easy.json');
const sim = (...args: string[]) => spawnSync(process.execPath, [SIM, ...args], { cwd: ROOT, encoding: 'utf8' });

beforeAll(async () => {
  await ensureBuilt();
}, 240_000);

describe('search-sim CLI', () => {
  it('--json prints one report with every strategy', () => {
    const r = sim('--scenario', EASY, '--seeds', '2', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as {
      scenario: string;
      seeds: number;
      strategies: {
        strategy: string;
        trueHoldoutSuccess: { mean: number };
        falseAcceptanceRate: number | null;
        trialsSpent: number;
      }[];
    };
    expect(report).toMatchObject({ scenario: 'easy', seeds: 2 });
    expect(report.strategies.map((s) => s.strategy)).toEqual([
      'keep-discard',
      'gepa',
      'ours-full',
      'ours-minibatch',
      'ours-racing',
    ]);
    for (const s of report.strategies) expect(s.trialsSpent).toBeGreaterThanOrEqual(480);
  });

  it('prints a table for people, and --budget overrides the scenario budget', () => {
    const r = sim('--scenario', EASY, '--seeds', '1', '--budget', '100', '--strategies', 'ours-full,ours-racing');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/budget 100 trials/);
    expect(r.stdout).toMatch(/strategy\s+holdout mean/);
    expect(r.stdout.split('\n').filter((l) => /^ours-(full|racing)\s/.test(l))).toHaveLength(2);
  });

  it('--first-seed runs another range of seeds: the report says which, and the same range gives the same report', () => {
    const run = (first: string) =>
      JSON.parse(
        sim('--scenario', EASY, '--seeds', '2', '--first-seed', first, '--strategies', 'ours-minibatch', '--json')
          .stdout,
      );
    const a = run('7');
    expect(a).toMatchObject({ seeds: 2, firstSeed: 7 });
    expect(run('7')).toEqual(a);
    expect(run('0').strategies).not.toEqual(a.strategies);
    expect(a.strategies[0]).toEqual(
      expect.objectContaining({
        stonePickRate: expect.any(Number),
        stonePickHurtRate: expect.any(Number),
        pickBelowSeedRate: expect.any(Number),
      }),
    );
    expect(sim('--scenario', EASY, '--first-seed', '-1').status).toBe(2);
  });

  it('a bad scenario exits 2 naming the file and the field, and bad flags exit 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-sim-cli-'));
    try {
      const file = path.join(dir, 'bad.json');
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(EASY, 'utf8')), repeats: -1 }));
      const r = sim('--scenario', file, '--json');
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`${file}: repeats: expected a positive integer`);
      expect(sim('--scenario', EASY, '--seeds', 'many').status).toBe(2);
      expect(sim('--scenario', EASY, '--strategies', 'ours-magic').stderr).toMatch(/unknown strategy "ours-magic"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
