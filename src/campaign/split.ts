/**
 * Resolves a campaign's train / holdout task lists against the benchmark's task names: every named task
 * must exist, the two lists must be disjoint, and a fraction split is a seeded shuffle (same config, same
 * split, forever). Holdout tasks are never shown to the meta-agent.
 */
import { createRng, deriveSeed, shuffled } from '../search/rng';
import type { CampaignConfig } from './config';
import { CampaignConfigError } from './errors';

export interface ResolvedSplit {
  train: string[];
  holdout: string[];
}

type Problem = { field: string; message: string };

function checkNames(
  names: readonly string[],
  field: string,
  known: ReadonlySet<string>,
  all: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (!known.has(n))
      problems.push({ field: `${field}[${i}]`, message: `unknown task "${n}" (benchmark has: ${all.join(', ')})` });
    else if (seen.has(n)) problems.push({ field: `${field}[${i}]`, message: `task "${n}" is listed twice` });
    seen.add(n);
  });
  return problems;
}

/** Splits the benchmark's tasks; throws CampaignConfigError naming train[i] / holdout[i] on bad names. */
export function resolveCampaign(
  config: Pick<CampaignConfig, 'file' | 'train' | 'holdout' | 'seed'>,
  taskNames: readonly string[],
): ResolvedSplit {
  const all = [...new Set(taskNames)].sort();
  const known = new Set(all);
  if (all.length === 0)
    throw new CampaignConfigError(config.file, [{ field: 'benchmark', message: 'the benchmark has no tasks' }]);
  if (!Array.isArray(config.train)) {
    const n = all.length;
    const count = n === 1 ? 1 : Math.min(n - 1, Math.max(1, Math.round(config.train.fraction * n)));
    const order = shuffled(all, createRng(deriveSeed(config.train.seed ?? config.seed, 'split')));
    return { train: order.slice(0, count).sort(), holdout: order.slice(count).sort() };
  }
  const train = config.train;
  const problems = checkNames(train, 'train', known, all);
  const holdout = config.holdout ?? all.filter((t) => !train.includes(t));
  if (config.holdout) {
    problems.push(...checkNames(config.holdout, 'holdout', known, all));
    config.holdout.forEach((t, i) => {
      if (train.includes(t))
        problems.push({
          field: `holdout[${i}]`,
          message: `task "${t}" is also in train (train and holdout must be disjoint)`,
        });
    });
  }
  if (problems.length > 0) throw new CampaignConfigError(config.file, problems);
  return { train: [...train], holdout: [...holdout] };
}
