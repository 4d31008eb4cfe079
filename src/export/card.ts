/**
 * CARD.md for an exported harness: what it scored (train and holdout, with spread, against the seed), what
 * it costs per task, where it came from (the lineage back to the seed, each step's verdict and the
 * meta-agent's rationale) and what changed (the diff against the seed). Pure: report data in, Markdown out.
 */
import type { CandidateView, ReportData, TrialIndexRow } from '../report/types';
import { formatSpread, scoreSpread, type ScoreSpread } from './scores';

export interface CardInput {
  data: ReportData;
  candidateId: string;
  /** Unified diff of the harness against the seed's ('' when it is the seed). */
  diffAgainstSeed: string;
  exportedAt: Date;
}

interface CandidateScores {
  train: ScoreSpread | null;
  holdout: ScoreSpread | null;
}

function candidateScores(trials: readonly TrialIndexRow[], candidateId: string): CandidateScores {
  const of = (split: 'train' | 'holdout'): ScoreSpread | null =>
    scoreSpread(
      trials
        .filter((t) => t.candidateId === candidateId && t.split === split)
        .map((t) => ({ task: t.task, repeat: t.repeat, reward: t.reward, costUsd: t.costUsd })),
    );
  return { train: of('train'), holdout: of('holdout') };
}

/** The candidate and its ancestors, seed first. */
export function lineage(views: readonly CandidateView[], candidateId: string): CandidateView[] {
  const byId = new Map(views.map((v) => [v.id, v]));
  const chain: CandidateView[] = [];
  for (let v = byId.get(candidateId); v && !chain.includes(v); v = v.parentId ? byId.get(v.parentId) : undefined)
    chain.unshift(v);
  return chain;
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
const quote = (text: string): string =>
  text
    .trim()
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

function scoreRows(label: string, s: CandidateScores): string[] {
  const row = (split: string, x: ScoreSpread | null): string =>
    `| ${label} | ${split} | ${formatSpread(x)} | ${x?.tasks ?? 0} | ${x?.trials ?? 0} | ${x ? `$${x.costPerTask.toFixed(4)}` : '-'} |`;
  return [row('train', s.train), row('holdout', s.holdout)];
}

function lineageLines(chain: readonly CandidateView[]): string[] {
  return chain.flatMap((v, i) => {
    const score =
      v.train === null
        ? 'not scored'
        : `train ${v.train.toFixed(3)}${v.delta === null ? '' : ` (${signed(v.delta)} vs parent)`}`;
    const head = `${i + 1}. \`${v.id}\` — generation ${v.generation}, ${v.status}, ${score}${v.verdict ? ` — ${v.verdict}` : ''}`;
    return v.rationale.trim() ? [head, '', quote(v.rationale), ''] : [head];
  });
}

export function renderCard(input: CardInput): string {
  const { data, candidateId } = input;
  const views = data.candidates;
  const me = views.find((v) => v.id === candidateId);
  if (!me) throw new Error(`renderCard: no candidate ${candidateId}`);
  const chain = lineage(views, candidateId);
  const seed = chain[0] ?? me;
  const mine = candidateScores(data.trials, candidateId);
  const seeds = candidateScores(data.trials, seed.id);
  const best = data.summary.bestId === candidateId;
  const improvement = (a: ScoreSpread | null, b: ScoreSpread | null): string =>
    a && b ? signed(a.mean - b.mean) : '-';
  return [
    `# Harness \`${candidateId}\` of campaign \`${data.campaign}\``,
    '',
    `${best ? 'The best harness of the campaign' : `A candidate of the campaign (the best is \`${data.summary.bestId ?? '-'}\`)`}, ` +
      `generation ${me.generation}, ${me.status}. Exported ${input.exportedAt.toISOString()}; the campaign's phase was ${data.summary.phase}` +
      `${data.summary.stopReason ? ` (${data.summary.stopReason})` : ''}.`,
    '',
    'Run it as it is: `autoagent eval <task-or-benchmark> --harness <this folder>` (this card is not part of the harness).',
    '',
    '## Scores',
    '',
    'Mean over tasks of the per-task mean reward; ± the standard error over tasks; the range of the per-repeat means.',
    '',
    '| harness | split | score | tasks | trials | cost per task |',
    '|---|---|---|---|---|---|',
    ...scoreRows(candidateId === seed.id ? 'this (the seed)' : 'this', mine),
    ...(candidateId === seed.id ? [] : scoreRows(`seed \`${seed.id}\``, seeds)),
    '',
    ...(candidateId === seed.id
      ? []
      : [
          `Improvement over the seed: train ${improvement(mine.train, seeds.train)}, holdout ${improvement(mine.holdout, seeds.holdout)}.`,
          '',
        ]),
    `Train tasks: ${data.tasks.train.join(', ') || '-'}. Holdout tasks (never shown to the meta-agent): ${data.tasks.holdout.join(', ') || '-'}.`,
    '',
    '## Lineage (seed first)',
    '',
    ...lineageLines(chain),
    '',
    '## Diff against the seed',
    '',
    input.diffAgainstSeed ? ['```diff', input.diffAgainstSeed.trimEnd(), '```'].join('\n') : 'None: this is the seed.',
    '',
  ].join('\n');
}
