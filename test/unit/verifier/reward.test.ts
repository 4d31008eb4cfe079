/** Reward file parsing: accepted forms and the errors that name the file. */
import { objectiveReward, parseRewardJson, parseRewardTxt, parseRewardsJson } from '../../../src/verifier/reward';

test('reward.txt: one number in [0, 1], whitespace tolerated', () => {
  expect(parseRewardTxt('1\n')).toBe(1);
  expect(parseRewardTxt('  0.5 ')).toBe(0.5);
  expect(parseRewardTxt('.25')).toBe(0.25);
  expect(parseRewardTxt('1e-1')).toBeCloseTo(0.1);
});

test.each(['', 'pass', '1 0', '-0.1', '1.01', 'NaN', 'Infinity', '0x1'])('reward.txt %p is rejected', (text) => {
  expect(() => parseRewardTxt(text)).toThrow(
    expect.objectContaining({ name: 'RewardParseError', file: '/logs/verifier/reward.txt' }),
  );
});

test('reward.json: reward field, bare number, or a single numeric field', () => {
  expect(parseRewardJson('{"reward": 0.5, "n": 3}')).toBe(0.5);
  expect(parseRewardJson('0.75')).toBe(0.75);
  expect(parseRewardJson('{"accuracy": 1, "label": "ok"}')).toBe(1);
});

test.each(['{', '[]', '{"reward": "1"}', '{"a": 1, "b": 0}', '{}', '{"reward": 2}'])(
  'reward.json %p is rejected',
  (text) => {
    expect(() => parseRewardJson(text)).toThrow(expect.objectContaining({ name: 'RewardParseError' }));
  },
);

test('reward.json with several metrics: all kept; the objective is the named one, in [0, 1]', () => {
  const rewards = parseRewardsJson('{"reward": 0.5, "accuracy": 0.9, "latency_ms": 1200, "label": "ok"}');
  expect(rewards).toEqual({ reward: 0.5, accuracy: 0.9, latency_ms: 1200 });
  expect(objectiveReward(rewards)).toBe(0.5);
  expect(objectiveReward(rewards, 'accuracy')).toBe(0.9);
  expect(() => objectiveReward(rewards, 'latency_ms')).toThrow(/outside \[0, 1\]/);
  expect(() => objectiveReward({ a: 1, b: 0 }, 'f1')).toThrow(/no "f1" metric \(found "a", "b"\)/);
});
