/**
 * Renders the experiment log for the meta-agent: a score table first (the quick overview), then one
 * section per candidate with its verdict, rationale and diff (long diffs are cut in the Markdown; the
 * full records are in experiments.json).
 */
import { isTamperingVerdict } from '../workflows/tampering';
import type { ExperimentRecord } from './schema';

/** Said next to a tampering rejection, so the next proposal learns the rule, not just the verdict. */
const TAMPERING_NOTE =
  '- **rejected for reward tampering**: this harness (or what its agent did in a passing trial) reached for the ' +
  'verifier — /logs/verifier, /tests, the test tooling, or a background process left running. Every candidate is screened; ' +
  'such a change is never accepted, whatever it scores. Solve the task instead.';

const MAX_DIFF_CHARS = 6000;

const score = (s: number | null): string => (s === null ? '—' : s.toFixed(3));

const parentsOf = (r: ExperimentRecord): string =>
  r.secondParentId ? `merge of ${r.parentId ?? 'none'} and ${r.secondParentId}` : `parent ${r.parentId ?? 'none'}`;

function perTask(r: ExperimentRecord): string {
  const tasks = Object.keys(r.taskRewards).sort();
  if (tasks.length === 0) return '—';
  return tasks.map((t) => `${t}: ${(r.taskRewards[t] ?? []).map((x) => x.toFixed(2)).join('/')}`).join(', ');
}

const MAX_FAILURE_CHARS = 300;

/** Trial failures per task, so a RewardTamperingError (or a storage limit) is seen where the score is read. */
function failureLines(r: ExperimentRecord): string[] {
  const tasks = Object.keys(r.trialFailures ?? {}).sort();
  return tasks.flatMap((t) =>
    (r.trialFailures?.[t] ?? []).map((e) => `  - ${t}: ${cut(e.replace(/\n/g, ' '), MAX_FAILURE_CHARS)}`),
  );
}

function cut(text: string, max: number): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}\n[... ${text.length - max} more characters: see experiments.json ...]`;
}

function section(r: ExperimentRecord): string {
  const lines = [
    `## ${r.id} (generation ${r.generation}, ${parentsOf(r)})`,
    '',
    `- status: ${r.status}; train score: ${score(r.trainScore)}; cost: $${r.costUsd.toFixed(4)}`,
    `- verdict: ${r.verdict || '—'}`,
    `- per-task rewards: ${perTask(r)}`,
    ...(failureLines(r).length > 0 ? ['- trial failures:', ...failureLines(r)] : []),
    ...(isTamperingVerdict(r.verdict) ? [TAMPERING_NOTE] : []),
    '',
    '### Rationale',
    '',
    r.rationale.trim() || '(none)',
    '',
  ];
  if (r.diff.trim()) lines.push('### Diff', '', '```diff', cut(r.diff.trimEnd(), MAX_DIFF_CHARS), '```', '');
  return lines.join('\n');
}

export function renderExperimentsMarkdown(records: ExperimentRecord[]): string {
  const head = ['# Experiment log', ''];
  if (records.length === 0) return [...head, 'No candidates yet.', ''].join('\n');
  const table = [
    '| id | parent | gen | status | train score | cost USD | verdict |',
    '|---|---|---|---|---|---|---|',
    ...records.map(
      (r) =>
        `| ${r.id} | ${r.secondParentId ? `${r.parentId} + ${r.secondParentId}` : (r.parentId ?? '—')} | ${r.generation} | ${r.status} | ${score(r.trainScore)} | ${r.costUsd.toFixed(4)} | ${r.verdict.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
    ),
    '',
  ];
  return [...head, `${records.length} candidates, oldest first.`, '', ...table, ...records.map(section)].join('\n');
}
