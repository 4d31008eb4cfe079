/**
 * Steering a campaign from any terminal: status, pause, resume, stop, budget, hint, retry-generation, list.
 * Each is a signal, update or query on `campaign/<name>`; updates are validated by the workflow too, so a
 * bad value is refused before it is written to history.
 */
import { sharedServerConfigured } from '../../temporal/connection';
import { Command } from 'commander';
import { z } from 'zod';
import {
  addCampaignHint, campaignStatus, childProgress, pauseCampaign, resumeCampaign, retryCampaignGeneration, setCampaignBudget, stopCampaign,
} from '../../temporal/client';
import { statusFromStore } from '../campaign/offline-status';
import { bestHarness, bestHarnessLines } from '../campaign/best-harness';
import { withCampaign } from '../campaign/connect';
import { resolveTarget, readServerFile } from '../campaign/target';
import { statusBlock } from '../campaign/progress';
import { parseOptions } from '../options';
import { UsageError } from '../errors';
import { listCampaigns } from '../campaign/list';

const CAMPAIGN_ARG = 'campaign.yaml, campaign folder, or (with TEMPORAL_ADDRESS) campaign name';

function statusCommand(): Command {
  return new Command('status')
    .description('show a campaign: generation, phase, best train/holdout score, spend, trials')
    .argument('<campaign>', CAMPAIGN_ARG)
    .option('--json', 'print the status as JSON')
    .action(async (arg: string, opts: { json?: boolean }) => {
      const target = resolveTarget(arg);
      if (!sharedServerConfigured() && target.campaignDir && !readServerFile(target.campaignDir)) {
        // Not running: what the store recorded is still worth showing.
        const { text, ...offline } = statusFromStore(target.campaignDir, target.name, arg);
        process.stdout.write(opts.json ? `${JSON.stringify(offline)}\n` : `${text}\n`);
        return;
      }
      await withCampaign(arg, async (h, { client }) => {
        const status = await campaignStatus(h);
        const progress = await childProgress(client, status.currentChild);
        const best = bestHarness(arg, target.campaignDir, status.bestCandidateId);
        process.stdout.write(opts.json
          ? `${JSON.stringify({ running: true, status, progress, bestHarness: best })}\n`
          : `${[statusBlock(status, progress), ...bestHarnessLines(best)].join('\n')}\n`);
      });
    });
}

function simple(name: string, description: string, act: (arg: string) => Promise<string>): Command {
  return new Command(name).description(description).argument('<campaign>', CAMPAIGN_ARG).action(async (arg: string) => {
    process.stdout.write(`${await act(arg)}\n`);
  });
}

const BudgetOptions = z.object({
  usd: z.coerce.number().positive().optional(),
  trials: z.coerce.number().int().positive().optional(),
  tokens: z.coerce.number().int().positive().optional(),
  wallTimeMinutes: z.coerce.number().positive().optional(),
});

function budgetCommand(): Command {
  return new Command('budget')
    .description('set a running campaign\'s budget (any of the limits; others are kept)')
    .argument('<campaign>', CAMPAIGN_ARG)
    .option('--usd <n>', 'dollars')
    .option('--trials <n>', 'trials')
    .option('--tokens <n>', 'tokens')
    .option('--wall-time-minutes <n>', 'wall time')
    .action(async (arg: string, raw: unknown) => {
      const budget = Object.fromEntries(Object.entries(parseOptions(BudgetOptions, raw)).filter(([, v]) => v !== undefined));
      if (Object.keys(budget).length === 0) throw new UsageError('budget: give at least one of --usd, --trials, --tokens, --wall-time-minutes');
      const now = await withCampaign(arg, (h) => setCampaignBudget(h, budget));
      process.stdout.write(`budget now ${JSON.stringify(now)}\n`);
    });
}

function hintCommand(): Command {
  return new Command('hint')
    .description('add a hint the meta-agent sees in its next proposals')
    .argument('<campaign>', CAMPAIGN_ARG)
    .argument('<text...>', 'the hint')
    .action(async (arg: string, words: string[]) => {
      const n = await withCampaign(arg, (h) => addCampaignHint(h, words.join(' ')));
      process.stdout.write(`hint added (${n} in total)\n`);
    });
}

function listCommand(): Command {
  return new Command('list')
    .description('list campaigns: on TEMPORAL_ADDRESS, or under a folder (default: here)')
    .argument('[dir]', 'folder to search for .autoagent/<campaign> folders', '.')
    .option('--json', 'JSON lines')
    .action(async (dir: string, opts: { json?: boolean }) => {
      for (const c of await listCampaigns(dir)) {
        process.stdout.write(opts.json ? `${JSON.stringify(c)}\n` : `${c.name}\t${c.state}\t${c.where}\n`);
      }
    });
}

export function controlCommands(): Command[] {
  return [
    statusCommand(),
    simple('pause', 'pause after in-flight work (no new trials or proposals start)', (a) => withCampaign(a, (h) => pauseCampaign(h)).then(() => 'pause requested')),
    simple('resume', 'resume a paused campaign', (a) => withCampaign(a, (h) => resumeCampaign(h)).then(() => 'resume requested')),
    simple('stop', 'finish the current generation, evaluate on holdout, and end', (a) => withCampaign(a, (h) => stopCampaign(h, 'stopped by user')).then(() => 'stop requested: the current generation finishes, then the holdout evaluation runs')),
    budgetCommand(),
    hintCommand(),
    simple('retry-generation', 'rerun a failed generation (stored trials are reused)', (a) =>
      withCampaign(a, (h) => retryCampaignGeneration(h)).then((n) => `retrying generation ${n}`)),
    listCommand(),
  ];
}
