import { candidateViews } from '../../src/report/candidates';
import type { TrialIndexRow } from '../../src/report/types';
import type { StoredCandidate } from '../../src/store/rows';

const row = (task: string, split: 'train' | 'holdout', metrics?: Record<string, number>): TrialIndexRow => ({
  id: `${task}-${split}`,
  candidateId: 'h1',
  task,
  split,
  repeat: 0,
  reward: 1,
  error: null,
  stopReason: 'finished',
  turns: 1,
  costUsd: 0,
  tokens: 0,
  durationMs: 1,
  createdAt: '2026-12-02',
  hasTrajectory: false,
  ...(metrics ? { metrics } : {}),
});
const cand = {
  id: 'h1',
  campaign: 'c',
  parentId: null,
  secondParentId: null,
  generation: 0,
  status: 'evaluated',
  verdict: 'seed',
  rationale: '',
  taskRewards: {},
  meanReward: 1,
  costUsd: 0,
  complexity: 1,
  harnessHash: null,
  diffHash: null,
  createdAt: '',
  updatedAt: '',
} as StoredCandidate;

test('the report shows the other reward.json metrics: mean over train trials; none for plain rewards', () => {
  const [v] = candidateViews({
    stored: [cand],
    proposals: [],
    diffs: {},
    trials: [
      row('a', 'train', { reward: 1, accuracy: 0.8 }),
      row('b', 'train', { reward: 0, accuracy: 0.4, f1: 0.5 }),
      row('c', 'holdout', { accuracy: 0 }),
    ],
  });
  expect(v?.metrics).toEqual({ accuracy: expect.closeTo(0.6, 10), f1: 0.5, reward: 0.5 });
  const [plain] = candidateViews({ stored: [cand], proposals: [], diffs: {}, trials: [row('a', 'train')] });
  expect(plain?.metrics).toEqual({});
});
