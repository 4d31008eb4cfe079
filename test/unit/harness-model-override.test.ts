/**
 * campaign.yaml's explicit taskModel is written into harnesses: the stored seed (withModel) and every
 * proposed candidate (checkProposedFiles), so the meta-agent cannot move a campaign off its task model.
 */
import { join } from 'node:path';
import { checkProposedFiles } from '../../src/activities/proposal-check';
import { loadHarness } from '../../src/harness/load';
import { filesWithModel, withModel } from '../../src/harness/model-override';

const FULL = join(__dirname, '..', 'fixtures', 'harnesses', 'full');

test('withModel sets harness.yaml `model`, keeps the rest of the file, and the id follows the content', async () => {
  const h = await loadHarness(FULL);
  expect(withModel(h, h.config.model)).toBe(h);
  const moved = withModel(h, 'openai/other-model');
  expect(moved.config.model).toBe('openai/other-model');
  expect(moved.id).not.toBe(h.id);
  expect({ ...moved.config, model: h.config.model }).toEqual(h.config);
  const otherLines = (text: string | undefined): string[] =>
    (text ?? '').split('\n').filter((l) => !l.startsWith('model:'));
  expect(otherLines(moved.files['harness.yaml'])).toEqual(otherLines(h.files['harness.yaml']));
});

test('a harness.yaml that does not parse is left as it is, for validation to name', () => {
  const files = { 'harness.yaml': 'model: [unclosed\n' };
  expect(filesWithModel(files, 'x')).toBe(files);
});

test('with a pinned task model, a proposal cannot change the model: its other edits stand, a model-only edit is no change', async () => {
  const parent = await loadHarness(FULL);
  const pinned = parent.config.model;
  const yaml = parent.files['harness.yaml'] as string;
  const changeModel = yaml.replace(/^model:.*$/m, 'model: openai/cheaper');
  const modelOnly = checkProposedFiles(parent, { ...parent.files, 'harness.yaml': changeModel }, '/campaign', pinned);
  expect(modelOnly).toEqual({ ok: false, reason: 'no change from the parent harness' });
  const both = checkProposedFiles(
    parent,
    { ...parent.files, 'harness.yaml': changeModel.replace(/^maxTurns:.*$/m, 'maxTurns: 7') },
    '/campaign',
    pinned,
  );
  expect(both.ok && both.harness.config).toMatchObject({ model: pinned, maxTurns: 7 });
  // Without a pin the model edit is the meta-agent's to make.
  const free = checkProposedFiles(parent, { ...parent.files, 'harness.yaml': changeModel }, '/campaign');
  expect(free.ok && free.harness.config.model).toBe('openai/cheaper');
});
