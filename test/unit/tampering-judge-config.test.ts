/** campaign.yaml `tamperingJudge`: off by default, the meta model unless named, a sample of at least 1, bad input named. */
import { parseCampaignConfig } from '../../src/campaign/config';
import { CampaignConfigError } from '../../src/campaign/errors';

const minimal = {
  name: 'demo-1',
  benchmark: 'bench',
  train: ['a', 'b'],
  seedHarness: 'seed',
  program: 'program.md',
  taskModel: 'claude-x',
};

function errorOf(fn: () => unknown): CampaignConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CampaignConfigError) return err;
    throw err;
  }
  throw new Error('expected a CampaignConfigError');
}

test('off unless configured; model defaults to metaModel (then taskModel); sample defaults to 1', () => {
  expect(parseCampaignConfig(minimal, 'campaign.yaml').tamperingJudge).toBeNull();
  expect(parseCampaignConfig({ ...minimal, tamperingJudge: {} }, 'campaign.yaml').tamperingJudge).toEqual({
    model: 'claude-x',
    sample: 1,
  });
  expect(
    parseCampaignConfig({ ...minimal, metaModel: 'claude-meta', tamperingJudge: { sample: 2 } }, 'c.yaml')
      .tamperingJudge,
  ).toEqual({ model: 'claude-meta', sample: 2 });
  expect(
    parseCampaignConfig({ ...minimal, tamperingJudge: { model: 'openai/judge' } }, 'c.yaml').tamperingJudge,
  ).toEqual({ model: 'openai/judge', sample: 1 });
});

test('a bad sample or an unknown key names the field', () => {
  expect(errorOf(() => parseCampaignConfig({ ...minimal, tamperingJudge: { sample: 0 } }, 'c.yaml')).message).toMatch(
    /tamperingJudge\.sample/,
  );
  expect(errorOf(() => parseCampaignConfig({ ...minimal, tamperingJudge: { modle: 'x' } }, 'c.yaml')).message).toMatch(
    /tamperingJudge\.modle: unknown field/,
  );
});
