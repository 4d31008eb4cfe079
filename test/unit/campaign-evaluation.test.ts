/**
 * campaign.yaml `evaluation` → the campaign plan: the policy and its knobs (defaults filled in) reach the
 * workflow; without the block a campaign gets the default (minibatch); `policy: full` gives a plan exactly as before policies; a
 * bad value is an error naming the file and the field.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCampaignConfig } from '../../src/campaign/config';
import { CampaignConfigError } from '../../src/campaign/errors';
import { parsePlan } from '../../src/activities/plan-schema';
import { planFromConfig } from '../../src/activities/plan-from-config';
import { EvaluationSpecSchema } from '../../src/search/evaluation/policy';

const REPO = path.resolve(__dirname, '..', '..');
const minimal = {
  name: 'demo-1',
  benchmark: 'bench',
  train: ['a', 'b'],
  seedHarness: 'seed',
  program: 'program.md',
  taskModel: 'claude-x',
};

async function planOf(evaluation: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoagent-eval-plan-'));
  await writeFile(path.join(dir, 'program.md'), 'Make the agent better.\n');
  const file = path.join(dir, 'campaign.yaml');
  await writeFile(
    file,
    [
      'name: eval-plan',
      `benchmark: ${REPO}/benchmarks/tasks/starter`,
      `seedHarness: ${REPO}/benchmarks/harnesses/baseline`,
      'program: program.md',
      'taskModel: m',
      'train: [json-deep-merge, text-word-frequency]',
      evaluation,
      '',
    ].join('\n'),
  );
  return parsePlan(await planFromConfig(file), file);
}

test('without `evaluation` (or its `policy`) a campaign screens on a minibatch; `full` gives the plan as before policies', async () => {
  expect(parseCampaignConfig(minimal, '/x/campaign.yaml').evaluation).toEqual(
    EvaluationSpecSchema.parse({ policy: 'minibatch' }),
  );
  expect(parseCampaignConfig({ ...minimal, evaluation: {} }, '/x/campaign.yaml').evaluation).toEqual(
    parseCampaignConfig(minimal, '/x/campaign.yaml').evaluation,
  );
  expect((await planOf('')).evaluation).toEqual(EvaluationSpecSchema.parse({ policy: 'minibatch' }));
  expect((await planOf('evaluation: { policy: full }')).evaluation).toBeUndefined();
});

test('racing and minibatch reach the plan with their defaults filled in', async () => {
  // The defaults are the policy module's own (the schema is the one source of them).
  expect((await planOf('evaluation: { policy: racing, racing: { alpha: 0.05 } }')).evaluation).toEqual(
    EvaluationSpecSchema.parse({ policy: 'racing', racing: { alpha: 0.05 } }),
  );
  const mini = (await planOf('evaluation: { policy: minibatch, minibatch: { size: 1 } }')).evaluation;
  expect(mini).toEqual(EvaluationSpecSchema.parse({ policy: 'minibatch', minibatch: { size: 1 } }));
  expect(mini?.minibatch.repeats).toBeGreaterThan(0);
});

test('a plan given as workflow input may name just the policy: parsePlan fills the rest', () => {
  const plan = parsePlan(
    {
      name: 'p',
      campaignDir: '/tmp/p',
      seedHarness: '/s',
      train: [{ name: 'a', dir: '/a', hash: 'h' }],
      holdout: [],
      repeats: 1,
      holdoutRepeats: 1,
      proposalsPerGeneration: 1,
      concurrency: 1,
      seed: 0,
      selection: 'best',
      acceptance: { mode: 'greedy' },
      budget: {},
      hints: [],
      evaluation: { policy: 'racing' },
    },
    'workflow input',
  );
  expect(plan.evaluation).toEqual(EvaluationSpecSchema.parse({ policy: 'racing' }));
  expect(() => parsePlan({ ...plan, evaluation: { policy: 'fastest' } }, 'workflow input')).toThrow(
    /evaluation\.policy|evaluation/,
  );
});

test('bad values name the file and the field', () => {
  const fields = (evaluation: unknown): string[] => {
    try {
      parseCampaignConfig({ ...minimal, evaluation }, '/x/campaign.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(CampaignConfigError);
      expect((err as CampaignConfigError).message).toContain('/x/campaign.yaml');
      return (err as CampaignConfigError).problems.map((i) => `${i.field}: ${i.message}`);
    }
    throw new Error('expected a CampaignConfigError');
  };
  expect(fields({ policy: 'fastest' })).toEqual(['evaluation.policy: expected one of "full", "minibatch", "racing"']);
  expect(fields({ policy: 'racing', racing: { alpha: 2 } })).toEqual([
    'evaluation.racing.alpha: expected a number between 0 and 1',
  ]);
  expect(fields({ policy: 'racing', racng: {} })).toEqual(['evaluation.racng: unknown field']);
});
