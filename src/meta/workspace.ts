/**
 * Builds the meta-agent's workspace on the host (then copied to /workspace in its sandbox):
 *   program.md (read-only), README.md, harness-format.md, hints.md (when there are hints), experiments.md + .json,
 *   trials/<task>/r<repeat>/{trajectory.json, verifier.log, result.json}, harness/ (editable parent copy).
 * Only train trials may be shown: any trial of a holdout task throws HoldoutLeakError before anything is
 * written. Everything outside harness/ is mode 444 (and root-owned in the sandbox, where archives are
 * unpacked as uid 0); only harness/ is ever read back, so edits elsewhere have no effect anyway.
 */
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { writeHarnessFiles } from '../harness/files';
import { HoldoutLeakError, MetaWorkspaceError } from './errors';
import { renderExperimentsMarkdown } from './experiment-log';
import { metaAssetPath } from './paths';
import type { ExperimentRecord, MergeInput, MetaTrial } from './schema';

const READ_ONLY = 0o444;

export interface MetaWorkspaceInput {
  parentFiles: Record<string, string>;
  parentId: string;
  program: string;
  experiments: ExperimentRecord[];
  trials: MetaTrial[];
  holdoutTasks: string[];
  hints: string[];
  /** A merge proposal: the other harness (read-only) and both diffs go to merge/. */
  merge?: MergeInput;
}

/** Throws when any trial belongs to a holdout task. */
export function assertNoHoldout(trials: Pick<MetaTrial, 'task' | 'repeat'>[], holdoutTasks: string[]): void {
  const holdout = new Set(holdoutTasks);
  for (const t of trials) if (holdout.has(t.task)) throw new HoldoutLeakError(t.task, t.repeat);
}

/** A task name becomes a folder name: it must not escape trials/ or hide itself. */
function taskFolder(task: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(task)) {
    throw new MetaWorkspaceError('trials[].task', `"${task}" is not a safe folder name (letters, digits, . _ -)`);
  }
  return task;
}

async function writeReadOnly(path: string, text: string): Promise<void> {
  await writeFile(path, text, 'utf8');
  await chmod(path, READ_ONLY);
}

function readme(input: MetaWorkspaceInput): string {
  const tasks = [...new Set(input.trials.map((t) => t.task))].sort();
  return [
    '# Meta-agent workspace',
    '',
    `- \`program.md\` — the user's directive for this campaign (read-only).`,
    input.hints.length
      ? '- `hints.md` — hints from the user for this generation.'
      : '- (no hints.md: the user gave no hints for this generation)',
    '- `harness-format.md` — the harness file format (what each file and field means).',
    '- `experiments.md` — the experiment log, readable; `experiments.json` — the same records in full (JSON array).',
    `- \`harness/\` — an editable copy of the parent harness ${input.parentId}. Edit ONLY this folder: it is the only thing kept.`,
    ...(input.merge
      ? [
          `- \`merge/\` — this is a merge: \`other-harness/\` (read-only copy of ${input.merge.other.id}), \`parent.diff\` and \`other.diff\` (each one's changes from ${input.merge.ancestorId ?? 'the other'}).`,
        ]
      : []),
    '- `trials/<task>/r<repeat>/` — the parent harness on each training task:',
    '  - `trajectory.json` — ATIF trajectory: steps (source, message, reasoning, tool_calls, observation), final_metrics;',
    "  - `verifier.log` — output of the task's tests;",
    '  - `result.json` — reward (verifier.reward), stop reason, turns, usage and cost, errors.',
    '',
    `Training tasks shown (${tasks.length}): ${tasks.join(', ') || 'none'}. Held-out tasks are never shown.`,
    '',
  ].join('\n');
}

/** Writes the workspace into `dir` (which must be empty or missing). */
export async function buildMetaWorkspace(dir: string, input: MetaWorkspaceInput): Promise<void> {
  assertNoHoldout(input.trials, input.holdoutTasks);
  const folders = input.trials.map((t) => join('trials', taskFolder(t.task), `r${t.repeat}`));
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new MetaWorkspaceError('dir', `${dir} is not empty`);

  await writeReadOnly(join(dir, 'program.md'), input.program);
  await writeReadOnly(join(dir, 'README.md'), readme(input));
  await writeReadOnly(join(dir, 'harness-format.md'), await readFile(metaAssetPath('docs/harness-format.md'), 'utf8'));
  if (input.hints.length) {
    await writeReadOnly(
      join(dir, 'hints.md'),
      ['# Hints from the user', '', ...input.hints.map((h) => `- ${h}`), ''].join('\n'),
    );
  }
  await writeReadOnly(join(dir, 'experiments.md'), renderExperimentsMarkdown(input.experiments));
  await writeReadOnly(join(dir, 'experiments.json'), `${JSON.stringify(input.experiments, null, 2)}\n`);
  for (const [i, t] of input.trials.entries()) {
    const folder = join(dir, folders[i] as string);
    await mkdir(folder, { recursive: true });
    await writeReadOnly(join(folder, 'trajectory.json'), t.trajectoryJson);
    await writeReadOnly(join(folder, 'verifier.log'), t.verifierLog);
    await writeReadOnly(join(folder, 'result.json'), `${JSON.stringify(t.result ?? null, null, 2)}\n`);
  }
  if (input.merge) await writeMerge(join(dir, 'merge'), input.merge);
  await writeHarnessFiles(join(dir, 'harness'), input.parentFiles);
}

/** merge/: the other harness and both diffs, all read-only (only harness/ is ever read back). */
async function writeMerge(dir: string, merge: MergeInput): Promise<void> {
  for (const [rel, text] of Object.entries(merge.other.files)) {
    const file = join(dir, 'other-harness', rel);
    if (!file.startsWith(join(dir, 'other-harness') + sep))
      throw new MetaWorkspaceError('merge.other.files', `"${rel}" escapes the harness folder`);
    await mkdir(dirname(file), { recursive: true });
    await writeReadOnly(file, text);
  }
  await writeReadOnly(join(dir, 'parent.diff'), merge.parentDiff);
  await writeReadOnly(join(dir, 'other.diff'), merge.otherDiff);
}

/** Removes a workspace built earlier (its files are read-only, which rm -f ignores on the host). */
export async function removeMetaWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
