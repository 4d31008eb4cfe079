/**
 * The meta-agent's per-run instruction (rendered into the meta-harness's {{instruction}}): which parent,
 * which generation, a one-line-per-trial summary of the parent's rewards so it knows where to look first,
 * its own starting point (focus.ts: siblings start from different failures and levers), and where hints
 * are. A merge proposal instead says which two frontier harnesses to combine and where their diffs are.
 * Rewards are read leniently from result.json (verifier.reward); unknown shapes show '?'.
 */
import { z } from 'zod';
import { focusLines, proposalFocus } from './focus';
import type { ExperimentRecord, MergeInput, MetaTrial } from './schema';

const RewardOf = z.object({ verifier: z.object({ reward: z.number() }) });

function rewardOf(result: unknown): string {
  const r = RewardOf.safeParse(result);
  return r.success ? r.data.verifier.reward.toFixed(2) : '?';
}

export interface InstructionInput {
  parentId: string;
  generation: number;
  proposalIndex: number;
  experiments: ExperimentRecord[];
  trials: MetaTrial[];
  hasHints: boolean;
  /** Set for a merge proposal. */
  merge?: Pick<MergeInput, 'other' | 'parentWins' | 'otherWins' | 'ancestorId'>;
}

const list = (tasks: readonly string[]): string => (tasks.length ? tasks.join(', ') : 'none');

function mergeLines(i: InstructionInput, m: NonNullable<InstructionInput['merge']>): string[] {
  const from = m.ancestorId ? `their common ancestor ${m.ancestorId}` : 'each other (no common ancestor was found)';
  return [
    `This is a MERGE proposal. The other frontier harness ${m.other.id} is in /workspace/merge/other-harness/ (read-only);`,
    `the parent ${i.parentId} is the editable copy in /workspace/harness. They win on different train tasks:`,
    `- the parent scores higher on: ${list(m.parentWins)};`,
    `- ${m.other.id} scores higher on: ${list(m.otherWins)}.`,
    `/workspace/merge/parent.diff and /workspace/merge/other.diff are each one's changes from ${from}.`,
    'Combine both sets of changes into /workspace/harness so the result keeps the wins of each: bring over what the other',
    'harness added, resolve conflicts, and drop what duplicates. A merge that only copies one of them is not new.',
  ];
}

export function metaInstruction(i: InstructionInput): string {
  const parent = i.experiments.find((e) => e.id === i.parentId);
  const score = parent?.trainScore ?? null;
  const trialLines = [...i.trials]
    .sort((a, b) => a.task.localeCompare(b.task) || a.repeat - b.repeat)
    .map((t) => `- trials/${t.task}/r${t.repeat}/ — reward ${rewardOf(t.result)}`);
  const verb = i.merge ? `Merge into the parent harness ${i.parentId}` : `Improve the parent harness ${i.parentId}`;
  return [
    `Generation ${i.generation}, proposal ${i.proposalIndex}. ${verb}` +
      (score === null ? '.' : ` (mean train score ${score.toFixed(3)}).`),
    '',
    `The parent's training trials (${i.trials.length}):`,
    ...(trialLines.length ? trialLines : ['- (none recorded)']),
    '',
    ...(i.merge ? mergeLines(i, i.merge) : focusLines(proposalFocus(i.trials, i.generation, i.proposalIndex))),
    '',
    i.hasHints
      ? 'The user left hints for this generation in /workspace/hints.md: read them first.'
      : 'There are no user hints for this generation.',
    '',
    'Edit /workspace/harness, call validate_harness until it reports VALID, then call finish with your rationale.',
  ].join('\n');
}
