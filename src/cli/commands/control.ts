/**
 * Steering a campaign from any terminal: status, pause, resume, stop, budget, hint, retry-generation, list.
 * Each is a signal, update or query on `campaign/<name>`; updates are validated by the workflow too, so a
 * bad value is refused before it is written to history.
 */
import { sharedServerConfigured } from '../../temporal/connection';
import { z } from 'zod';
import {
  addCampaignHint,
  campaignStatus,
  childProgress,
  pauseCampaign,
  resumeCampaign,
  retryCampaignGeneration,
  setCampaignBudget,
  stopCampaign,
} from '../../temporal/client';
import { statusFromStore } from '../campaign/offline-status';
import { bestHarness, bestHarnessLines } from '../campaign/best-harness';
import { withCampaign } from '../campaign/connect';
import { resolveTarget, readServerFile } from '../campaign/target';
import { statusBlock } from '../campaign/progress';
import { parseOptions } from '../options';
import { UsageError } from '../errors';
import { listCampaigns } from '../campaign/list';

/** `status`: the live status from the workflow, or what the store recorded when the campaign is not running. */
export async function statusAction(arg: string, opts: { json?: boolean }): Promise<void> {
  const target = resolveTarget(arg);
  if (!sharedServerConfigured() && target.campaignDir && !readServerFile(target.campaignDir)) {
    // Not running: what the store recorded is still worth showing.
    const { text, ...offline } = await statusFromStore(target.campaignDir, target.name, arg);
    process.stdout.write(opts.json ? `${JSON.stringify(offline)}\n` : `${text}\n`);
    return;
  }
  await withCampaign(arg, async (h, { client }) => {
    const status = await campaignStatus(h);
    const progress = await childProgress(client, status.currentChild);
    const best = bestHarness(arg, target.campaignDir, status.bestCandidateId);
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ running: true, status, progress, bestHarness: best })}\n`
        : `${[statusBlock(status, progress), ...bestHarnessLines(best)].join('\n')}\n`,
    );
  });
}

const simple =
  (act: (arg: string) => Promise<string>) =>
  async (arg: string): Promise<void> => {
    process.stdout.write(`${await act(arg)}\n`);
  };

/** The commands that take only a campaign and print one line. */
export const simpleActions = {
  pause: simple((a) => withCampaign(a, (h) => pauseCampaign(h)).then(() => 'pause requested')),
  resume: simple((a) => withCampaign(a, (h) => resumeCampaign(h)).then(() => 'resume requested')),
  stop: simple((a) =>
    withCampaign(a, (h) => stopCampaign(h, 'stopped by user')).then(
      () => 'stop requested: the current generation finishes, then the holdout evaluation runs',
    ),
  ),
  retryGeneration: simple((a) =>
    withCampaign(a, (h) => retryCampaignGeneration(h)).then((n) => `retrying generation ${n}`),
  ),
};

const BudgetOptions = z.object({
  usd: z.coerce.number().positive().optional(),
  trials: z.coerce.number().int().positive().optional(),
  tokens: z.coerce.number().int().positive().optional(),
  wallTimeMinutes: z.coerce.number().positive().optional(),
});

export async function budgetAction(arg: string, raw: unknown): Promise<void> {
  const budget = Object.fromEntries(
    Object.entries(parseOptions(BudgetOptions, raw)).filter(([, v]) => v !== undefined),
  );
  if (Object.keys(budget).length === 0)
    throw new UsageError('budget: give at least one of --usd, --trials, --tokens, --wall-time-minutes');
  const now = await withCampaign(arg, (h) => setCampaignBudget(h, budget));
  process.stdout.write(`budget now ${JSON.stringify(now)}\n`);
}

export async function hintAction(arg: string, words: string[]): Promise<void> {
  const n = await withCampaign(arg, (h) => addCampaignHint(h, words.join(' ')));
  process.stdout.write(`hint added (${n} in total)\n`);
}

export async function listAction(dir: string, opts: { json?: boolean }): Promise<void> {
  for (const c of await listCampaigns(dir)) {
    process.stdout.write(opts.json ? `${JSON.stringify(c)}\n` : `${c.name}\t${c.state}\t${c.where}\n`);
  }
}
