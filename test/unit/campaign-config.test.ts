import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaignConfig, parseCampaignConfig } from '../../src/campaign/config';
import { CampaignConfigError } from '../../src/campaign/errors';
import { resolveCampaign } from '../../src/campaign/split';
import { loadBenchmark } from '../../src/tasks/load';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-campaign-'));
  fs.mkdirSync(path.join(root, 'bench'));
  fs.mkdirSync(path.join(root, 'seed'));
  fs.writeFileSync(path.join(root, 'program.md'), 'Improve it.');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const minimal = {
  name: 'demo-1',
  benchmark: 'bench',
  train: ['a', 'b'],
  seedHarness: 'seed',
  program: 'program.md',
  taskModel: 'claude-x',
};

function write(doc: string): string {
  const file = path.join(root, 'campaign.yaml');
  fs.writeFileSync(file, doc);
  return file;
}

/** The error thrown, for asserting on its fields. */
function errorOf(fn: () => unknown): CampaignConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CampaignConfigError);
    return err as CampaignConfigError;
  }
  throw new Error('expected a CampaignConfigError');
}

describe('loadCampaignConfig', () => {
  it('applies defaults and resolves paths against the yaml folder', () => {
    const file = write(
      `name: demo-1\nbenchmark: bench\ntrain: [a, b]\nseedHarness: ./seed\nprogram: program.md\ntaskModel: claude-x\n`,
    );
    const c = loadCampaignConfig(file);
    expect(c).toMatchObject({
      file,
      name: 'demo-1',
      benchmark: path.join(root, 'bench'),
      seedHarness: path.join(root, 'seed'),
      program: path.join(root, 'program.md'),
      train: ['a', 'b'],
      holdout: null,
      taskModel: 'claude-x',
      metaModel: 'claude-x',
      generations: 5,
      proposalsPerGeneration: 2,
      repeats: 1,
      concurrency: 2,
      budget: {},
      selection: 'thompson',
      acceptance: { mode: 'paired-test', alpha: 0.1, minDelta: 0.05, test: 'stratified' },
      targetScore: null,
      plateauGenerations: null,
      seed: 0,
    });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it('names the file and field for a bad value', () => {
    const e = errorOf(() => parseCampaignConfig({ ...minimal, budget: { usd: -3 } }, 'campaign.yaml'));
    expect(e.message).toBe('campaign.yaml: budget.usd: expected a positive number');
    expect(e.field).toBe('budget.usd');
    expect(e.file).toBe(path.resolve('campaign.yaml'));
  });

  it('reports every problem: missing, wrong type, unknown keys, bad enum, bad slug', () => {
    const e = errorOf(() =>
      parseCampaignConfig(
        {
          name: 'Bad Name',
          benchmark: 'b',
          train: ['a'],
          seedHarness: 's',
          program: 'p',
          repeats: 'two',
          selection: 'random',
          budgett: {},
          acceptance: { alpha: 2 },
        },
        'c.yaml',
      ),
    );
    const lines = e.message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^c.yaml: name: expected a slug/),
        'c.yaml: repeats: expected a positive integer',
        'c.yaml: selection: expected one of "best", "pareto", "epsilon-greedy", "thompson"',
        'c.yaml: budgett: unknown field',
        'c.yaml: acceptance.alpha: expected a number between 0 and 1',
      ]),
    );
    expect(lines).toHaveLength(5); // taskModel is optional: the seed harness's `model` by default
  });

  it('taskModel may be omitted (the seed harness names it); metaModel and the judge then follow the task model', () => {
    const { taskModel: _, ...noModel } = minimal;
    expect(parseCampaignConfig({ ...noModel, tamperingJudge: {} }, 'c.yaml')).toMatchObject({
      taskModel: null,
      metaModel: null,
      tamperingJudge: { model: null, sample: 1 },
    });
    expect(parseCampaignConfig({ ...noModel, metaModel: 'claude-meta' }, 'c.yaml')).toMatchObject({
      taskModel: null,
      metaModel: 'claude-meta',
    });
  });

  it('validates the train spec by shape', () => {
    expect(errorOf(() => parseCampaignConfig({ ...minimal, train: 'a' }, 'c.yaml')).message).toBe(
      'c.yaml: train: expected a list of task names or { fraction, seed }',
    );
    expect(errorOf(() => parseCampaignConfig({ ...minimal, train: { fraction: 1.5 } }, 'c.yaml')).message).toBe(
      'c.yaml: train.fraction: expected a fraction between 0 and 1',
    );
    expect(errorOf(() => parseCampaignConfig({ ...minimal, train: { fraction: 0.5, sed: 1 } }, 'c.yaml')).message).toBe(
      'c.yaml: train.sed: unknown field',
    );
    expect(errorOf(() => parseCampaignConfig({ ...minimal, train: [] }, 'c.yaml')).message).toBe(
      'c.yaml: train: expected at least one task',
    );
    expect(
      errorOf(() => parseCampaignConfig({ ...minimal, train: { fraction: 0.5 }, holdout: ['x'] }, 'c.yaml')).field,
    ).toBe('holdout');
    expect(parseCampaignConfig({ ...minimal, train: { fraction: 0.5, seed: 3 } }, 'c.yaml').train).toEqual({
      fraction: 0.5,
      seed: 3,
    });
  });

  it('checks that paths exist, and reports unreadable files and bad YAML', () => {
    const file = write(
      `name: demo\nbenchmark: nope\ntrain: [a]\nseedHarness: seed\nprogram: missing.md\ntaskModel: m\n`,
    );
    const e = errorOf(() => loadCampaignConfig(file));
    expect(e.problems.map((p) => p.field)).toEqual(['benchmark', 'program']);
    expect(e.message).toMatch(/campaign.yaml: benchmark: folder not found: .*nope/);
    expect(errorOf(() => loadCampaignConfig(path.join(root, 'absent.yaml'))).message).toMatch(
      /absent.yaml: cannot read: ENOENT/,
    );
    expect(errorOf(() => loadCampaignConfig(write('name: [unclosed\n'))).message).toMatch(
      /campaign.yaml: invalid YAML at line \d/,
    );
  });
});

describe('resolveCampaign', () => {
  const tasks = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', 't10'];
  const cfg = (over: object) =>
    ({ file: '/x/campaign.yaml', train: ['t1'], holdout: null, seed: 0, ...over }) as Parameters<
      typeof resolveCampaign
    >[0];

  it('uses explicit lists; an omitted holdout is the rest', () => {
    expect(resolveCampaign(cfg({ train: ['t2', 't1'], holdout: ['t3'] }), tasks)).toEqual({
      train: ['t2', 't1'],
      holdout: ['t3'],
    });
    expect(resolveCampaign(cfg({ train: ['t1', 't2'] }), ['t1', 't2', 't3'])).toEqual({
      train: ['t1', 't2'],
      holdout: ['t3'],
    });
  });

  it('rejects unknown, duplicate and overlapping task names, naming the field', () => {
    const e = errorOf(() => resolveCampaign(cfg({ train: ['t1', 'nope', 't1'], holdout: ['t1'] }), tasks));
    expect(e.problems.map((p) => p.field)).toEqual(['train[1]', 'train[2]', 'holdout[0]']);
    expect(e.message).toMatch(/train\[1\]: unknown task "nope"/);
    expect(e.message).toMatch(/holdout\[0\]: task "t1" is also in train/);
    expect(errorOf(() => resolveCampaign(cfg({}), [])).field).toBe('benchmark');
  });

  it('splits by fraction deterministically, disjoint and covering every task', () => {
    const a = resolveCampaign(cfg({ train: { fraction: 0.7 } }), tasks);
    expect(a.train).toHaveLength(7);
    expect(a.holdout).toHaveLength(3);
    expect([...a.train, ...a.holdout].sort()).toEqual([...tasks].sort());
    expect(resolveCampaign(cfg({ train: { fraction: 0.7 } }), [...tasks].reverse())).toEqual(a);
    const seeds = new Set(
      [1, 2, 3, 4, 5].map((s) =>
        JSON.stringify(resolveCampaign(cfg({ train: { fraction: 0.7, seed: s } }), tasks).holdout),
      ),
    );
    expect(seeds.size).toBeGreaterThan(1);
    const two = resolveCampaign(cfg({ train: { fraction: 0.99 } }), ['a', 'b']); // both sides keep at least one task
    expect([two.train.length, two.holdout.length]).toEqual([1, 1]);
    expect(resolveCampaign(cfg({ train: { fraction: 0.5 } }), ['solo'])).toEqual({ train: ['solo'], holdout: [] });
  });
});

test('acceptance.test names a known test; another is refused naming the field', () => {
  expect(() => parseCampaignConfig({ ...minimal, acceptance: { test: 'task-means' } }, 'c.yaml')).not.toThrow();
  expect(() => parseCampaignConfig({ ...minimal, acceptance: { test: 'welch' } }, 'c.yaml')).toThrow(
    /acceptance\.test/,
  );
});

describe('examples/starter-campaign', () => {
  it('loads and its split resolves against the starter benchmark', async () => {
    const c = loadCampaignConfig(path.resolve(__dirname, '../../examples/starter-campaign/campaign.yaml'));
    const split = resolveCampaign(
      c,
      (await loadBenchmark(c.benchmark)).map((t) => t.name),
    );
    expect(split.train.length).toBeGreaterThan(0);
    expect(split.holdout.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(c.seedHarness, 'harness.yaml'))).toBe(true);
  });
});
