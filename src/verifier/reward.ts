/**
 * Reward files written by a task's tests/test.sh: `reward.txt` holds one number in [0, 1]; `reward.json`
 * holds a number or an object of named metrics (Harbor's multi-metric rewards: every value a finite number),
 * all of which are recorded. The trial's reward is the objective metric — `reward` unless the campaign names
 * another —, which must lie in [0, 1]; a file with exactly one metric gives that one. Anything else is a
 * RewardParseError.
 */
import { z } from 'zod';
import { RewardParseError } from './errors';

export const REWARD_TXT = '/logs/verifier/reward.txt';
export const REWARD_JSON = '/logs/verifier/reward.json';

const Reward = z.number().finite().min(0).max(1);

function checkRange(file: string, value: number): number {
  const r = Reward.safeParse(value);
  if (!r.success) throw new RewardParseError(file, `reward ${value} is outside [0, 1]`);
  return r.data;
}

export function parseRewardTxt(text: string, file = REWARD_TXT): number {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    throw new RewardParseError(file, `expected one number, got "${t.slice(0, 80)}"`);
  return checkRange(file, Number(t));
}

export type Rewards = Record<string, number>;

/** Every metric of a reward.json (a bare number is `{reward: n}`). */
export function parseRewardsJson(text: string, file = REWARD_JSON): Rewards {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RewardParseError(file, `invalid JSON (${(err as Error).message})`);
  }
  if (typeof value === 'number') return { reward: value };
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new RewardParseError(file, 'expected an object');
  const obj = value as Record<string, unknown>;
  if ('reward' in obj && typeof obj.reward !== 'number') throw new RewardParseError(file, '"reward" is not a number');
  // Numbers are metrics; other fields (labels, notes) are not, and are left out.
  return Object.fromEntries(
    Object.entries(obj).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])),
  );
}

/** The objective metric of `rewards`, checked to lie in [0, 1]. */
export function objectiveReward(rewards: Rewards, metric = 'reward', file = REWARD_JSON): number {
  if (metric in rewards) return checkRange(file, rewards[metric] as number);
  const names = Object.keys(rewards);
  if (names.length === 1) return checkRange(file, rewards[names[0] as string] as number);
  // Name the way out: the objective metric is the user's to choose.
  const expected =
    metric === 'reward'
      ? ': expected "reward" or exactly one numeric field; name the objective metric with `autoagent eval --metric` or campaign.yaml `metric`'
      : '';
  throw new RewardParseError(
    file,
    `no "${metric}" metric${expected} (found ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'none'})`,
  );
}

/** The objective (`reward`) of a reward.json. */
export const parseRewardJson = (text: string, file = REWARD_JSON): number =>
  objectiveReward(parseRewardsJson(text, file), 'reward', file);

/**
 * A trial's score under a campaign's objective metric: the verifier's own reward for `reward`, else that
 * metric of the recorded rewards when it lies in [0, 1], else 0 (the trial did not measure it). A trial that
 * failed outright (tampering, storage limit…) records no rewards, so it scores 0 under every metric.
 */
export function objectiveOf(trial: { reward: number; verifier?: { rewards?: Rewards } }, metric: string): number {
  if (metric === 'reward') return trial.reward;
  const v = trial.verifier?.rewards?.[metric];
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : 0;
}
