/**
 * The verifier phase — run only after the agent is done, so the agent never sees the tests. One exec
 * clears anything the agent may have planted (/tests, /logs/verifier), moves the freshly uploaded tests into
 * /tests and runs `bash /tests/test.sh`; then the reward file is read. Every failure (timeout, no or bad
 * reward file, or one over REWARD_MAX_BYTES) scores 0 with a reason; only Docker faults throw.
 */
import { randomBytes } from 'node:crypto';
import type { Sandbox } from '../sandbox/types';
import { shellQuote } from '../util/shell';
import type { Task } from '../tasks/types';
import type { VerifierRecord } from './result';
import { FileTooLargeError } from '../sandbox/errors';
import { RewardFileMissingError, RewardFileTooLargeError, VerifierTimeoutError, reasonOf } from './errors';
import { REWARD_JSON, REWARD_TXT, objectiveReward, parseRewardTxt, parseRewardsJson, type Rewards } from './reward';

export type VerifierResult = VerifierRecord & { durationMs: number };

const VERIFIER_OUTPUT_BYTES = 64 * 1024;
/** A reward file holds a number or a small JSON object; anything bigger is refused unread. */
const REWARD_MAX_BYTES = 1024 * 1024;

/** Clears what the agent may have planted and puts the fresh tests in place (as root); `user` then owns /logs/verifier. */
function prepareCommand(staging: string, user: string | undefined): string {
  return [
    'rm -rf /tests /logs/verifier',
    'mkdir -p /logs/verifier',
    `mv ${staging} /tests`,
    ...(user !== undefined ? [`chown -R ${shellQuote(user)} /logs/verifier`, 'chmod -R a+rX /tests'] : []),
  ].join(' && ');
}

/** Reward from reward.txt, else reward.json (all its metrics kept); a reason string when neither gives a valid number. */
async function readReward(
  sandbox: Sandbox,
  exitCode: number | null,
  metric: string,
): Promise<{ reward: number; rewards?: Rewards; reason: string | null }> {
  try {
    const txt = await sandbox.getFile(REWARD_TXT, { maxBytes: REWARD_MAX_BYTES });
    if (txt) {
      const reward = parseRewardTxt(txt.toString('utf8'));
      return { reward, rewards: { reward }, reason: null };
    }
    const json = await sandbox.getFile(REWARD_JSON, { maxBytes: REWARD_MAX_BYTES });
    if (json) {
      const rewards = parseRewardsJson(json.toString('utf8'));
      try {
        return { reward: objectiveReward(rewards, metric), rewards, reason: null };
      } catch (err) {
        // No usable objective here, but every metric is kept: a campaign may name another one (objectiveOf).
        return { reward: 0, rewards, reason: reasonOf(err as Error) };
      }
    }
    return { reward: 0, reason: reasonOf(new RewardFileMissingError(exitCode)) };
  } catch (err) {
    if (err instanceof Error && err.name === 'RewardParseError') return { reward: 0, reason: reasonOf(err) };
    if (err instanceof FileTooLargeError)
      return { reward: 0, reason: reasonOf(new RewardFileTooLargeError(err.path, err.sizeBytes, err.maxBytes)) };
    throw err;
  }
}

/** `metric`: the objective among reward.json's metrics (default `reward`). */
export async function runVerifier(
  sandbox: Sandbox,
  task: Task,
  opts: { timeoutSec?: number; metric?: string } = {},
): Promise<VerifierResult> {
  const t0 = Date.now();
  const timeoutSec = opts.timeoutSec ?? task.config.verifier.timeoutSec;
  const staging = `/tmp/.autoagent-tests-${randomBytes(6).toString('hex')}`;
  await sandbox.putDir(task.paths.testsDir, staging);
  const user = task.config.verifier.user;
  // Without a [verifier].user, one command as before (the image's USER); with one, root prepares and the user tests.
  const run = (command: string, as?: string) =>
    sandbox.exec(command, {
      timeoutSec,
      maxOutputBytes: VERIFIER_OUTPUT_BYTES,
      env: task.config.verifier.env,
      ...(as !== undefined ? { user: as } : {}),
    });
  let r = await run(
    user === undefined ? `${prepareCommand(staging, user)} && bash /tests/test.sh` : prepareCommand(staging, user),
    user === undefined ? undefined : '0',
  );
  if (user !== undefined && r.exitCode === 0 && !r.timedOut) r = await run('bash /tests/test.sh', user);
  const output = [r.stdout, r.stderr ? `--- stderr ---\n${r.stderr}` : ''].filter(Boolean).join('\n');
  if (r.timedOut) {
    return {
      reward: 0,
      reason: reasonOf(new VerifierTimeoutError(timeoutSec)),
      exitCode: null,
      output,
      durationMs: Date.now() - t0,
    };
  }
  const { reward, rewards, reason } = await readReward(sandbox, r.exitCode, opts.metric ?? 'reward');
  return { reward, ...(rewards ? { rewards } : {}), reason, exitCode: r.exitCode, output, durationMs: Date.now() - t0 };
}
