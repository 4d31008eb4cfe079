/**
 * A trial's folder, `outDir/<trialId>/`, in Harbor's trial layout so Harbor's own tools read it:
 *   config.json (Harbor TrialConfig), result.json (Harbor TrialResult), agent/trajectory.json (ATIF v1.8),
 *   verifier/test-stdout.txt (the verifier's output), verifier/reward.txt (when the verifier gave a reward),
 *   exception.txt (a failure's message), a multi-step trial's steps/<name>/{artifacts,verifier}/, and ours:
 *   autoagent.json (our TrialResult, validated) and build.log (only when this trial built the image).
 * Written last, after teardown, our record last of all, so an autoagent.json on disk always describes a
 * finished trial.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeTrajectory } from '../agent/atif/io';
import { type Trajectory } from '../agent/atif/trajectory';
import { harborTaskOf, hasReward, harborTrialConfig, harborTrialResult } from '../harbor/trial-record';
import type { Task } from '../tasks/types';
import type { StepVerifierFiles } from './run-steps';
import { TrialResultSchema, type TrialResult } from './types';

export const TRIAL_FILES = {
  record: 'autoagent.json',
  harborResult: 'result.json',
  harborConfig: 'config.json',
  trajectory: 'agent/trajectory.json',
  verifierLog: 'verifier/test-stdout.txt',
  reward: 'verifier/reward.txt',
  exception: 'exception.txt',
  buildLog: 'build.log',
  artifacts: 'artifacts',
} as const;

/** The trial folder a trajectory path (`<dir>/agent/trajectory.json`) belongs to. */
export const trialDirOf = (trajectoryPath: string): string => path.dirname(path.dirname(trajectoryPath));

async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await fs.writeFile(tmp, text, 'utf8');
  await fs.rename(tmp, file);
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

export async function writeTrialFiles(
  dir: string,
  files: {
    result: TrialResult;
    trajectory: Trajectory;
    verifierOutput: string;
    buildLog: string | null;
    task: Task;
    /** Host folder of the collected artifacts (collect-artifacts.ts), copied to `artifacts/` as Harbor lays it out. */
    artifactsDir?: string | null;
    /** A multi-step trial's per-step collections, copied to `steps/<name>/artifacts/` (Harbor's layout). */
    stepArtifacts?: readonly { name: string; dir: string }[];
    /** A multi-step trial's per-step verifier output and reward, to `steps/<name>/verifier/` (Harbor's layout). */
    stepVerifiers?: readonly StepVerifierFiles[];
  },
): Promise<void> {
  const result = TrialResultSchema.parse(files.result);
  const at = (name: string): string => path.join(dir, name);
  await fs.mkdir(dir, { recursive: true });
  await writeTrajectory(at(TRIAL_FILES.trajectory), files.trajectory);
  await writeAtomic(at(TRIAL_FILES.verifierLog), files.verifierOutput);
  if (hasReward(result)) await writeAtomic(at(TRIAL_FILES.reward), `${result.verifier.reward}\n`);
  if (result.failure)
    await writeAtomic(at(TRIAL_FILES.exception), `${result.failure.type}: ${result.failure.message}\n`);
  if (files.buildLog) await writeAtomic(at(TRIAL_FILES.buildLog), files.buildLog);
  if (files.artifactsDir) await fs.cp(files.artifactsDir, at(TRIAL_FILES.artifacts), { recursive: true });
  for (const step of files.stepArtifacts ?? [])
    await fs.cp(step.dir, at(path.join('steps', step.name, 'artifacts')), { recursive: true });
  for (const step of files.stepVerifiers ?? []) {
    await writeAtomic(at(path.join('steps', step.name, TRIAL_FILES.verifierLog)), step.output);
    if (step.reward !== null)
      await writeAtomic(at(path.join('steps', step.name, TRIAL_FILES.reward)), `${step.reward}\n`);
  }
  const ctx = { task: harborTaskOf(files.task), trialDir: dir, trialsDir: path.dirname(dir) };
  await writeAtomic(at(TRIAL_FILES.harborConfig), json(harborTrialConfig(result, ctx)));
  await writeAtomic(at(TRIAL_FILES.harborResult), json(harborTrialResult(result, ctx)));
  await writeAtomic(at(TRIAL_FILES.record), json(result));
}

export async function readTrialResult(dir: string): Promise<TrialResult> {
  return TrialResultSchema.parse(JSON.parse(await fs.readFile(path.join(dir, TRIAL_FILES.record), 'utf8')));
}
