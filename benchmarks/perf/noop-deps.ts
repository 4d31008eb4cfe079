/**
 * No-op activity deps for the Temporal performance benchmarks: a trial that does no work (reward from a
 * hash of harness id and task, so search still accepts and rejects), a proposer that appends one unique
 * line (so every child is a new harness with new trials), and a throwaway seed harness.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Proposer, TrialRunner } from '../../src/activities/ports';
import { zeroUsage } from '../../src/llm/usage';
import type { TrialResult } from '../../src/trial/types';
import type { LocalTaskRef } from '../../src/activities/ports';

function hash01(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
  return h / 4294967296;
}

export const noopTrial: TrialRunner = async (req) => {
  const reward = hash01(`${req.harness.id}/${req.task.name}/${req.repeat}`) < 0.5 ? 1 : 0;
  const result: TrialResult = {
    trialId: req.trialId,
    task: req.task.name,
    agent: 'harness',
    harnessId: req.harness.id,
    model: req.harness.config.model,
    repeat: req.repeat,
    reward,
    error: null,
    stopReason: 'finished',
    turns: 0,
    usage: zeroUsage(),
    verifier: { reward, reason: null, exitCode: 0, output: '' },
    timings: { buildMs: 0, startMs: 0, agentMs: 0, verifyMs: 0, totalMs: 0 },
    trajectoryPath: null,
    startedAt: new Date().toISOString(),
  };
  return result;
};

export const noopProposer: Proposer = async (input) => {
  const parent = input.parentHarness.files;
  const files = {
    ...parent,
    'system.md': `${parent['system.md'] ?? ''}\n<!-- ${input.attemptLabel} slot ${input.slot} -->\n`,
  };
  return {
    kind: 'ok',
    files,
    rationale: `noop ${input.attemptLabel}/${input.slot}`,
    usage: zeroUsage(),
    trajectoryRef: null,
  };
};

export async function writeSeed(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'harness.yaml'), 'model: noop-model\n');
  await writeFile(path.join(dir, 'system.md'), 'Task: {{instruction}}\n');
  return dir;
}

/** Task references whose folders this machine names (the no-op trial never opens them). */
export const tasks = (prefix: string, n: number): LocalTaskRef[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `${prefix}${i}`,
    dir: `/nonexistent/${prefix}${i}`,
    hash: `${prefix}-hash-${i}`,
  }));

export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
