/**
 * `autoagent export <campaign> [--candidate ID] --out DIR`: the campaign's best harness (or any candidate)
 * as a plain harness folder plus CARD.md; `--trials`: every trial it recorded as a Harbor job folder.
 * Reads the campaign's store alone: works after the campaign (and its embedded server) is gone.
 */
import path from 'node:path';
import { z } from 'zod';
import { exportHarness } from '../../export/harness';
import { exportTrials } from '../../export/trials';
import { buildReportData, resolveCampaign } from '../../report/data';
import { campaignStoreExists, openStore } from '../../store/store';
import { resolveTarget } from '../campaign/target';
import { UsageError } from '../errors';
import { parseOptions } from '../options';
import { storeFile } from '../../campaign/layout';

const ExportOptions = z.object({
  out: z.string().min(1),
  candidate: z.string().min(1).optional(),
  trials: z.boolean().default(false),
});

/** `export` (its arguments, options and help: cli/definitions.ts). */
export async function exportAction(arg: string, raw: unknown): Promise<void> {
  const opts = parseOptions(ExportOptions, raw);
  if (opts.trials && opts.candidate)
    throw new UsageError('export: --trials exports every trial; it takes no --candidate');
  const target = resolveTarget(arg);
  if (!target.campaignDir || !campaignStoreExists(target.campaignDir)) {
    throw new UsageError(
      `${arg}: no campaign store here${target.campaignDir ? ` (${storeFile(target.campaignDir)} is missing: has the campaign run?)` : ''}`,
    );
  }
  const outDir = path.resolve(opts.out);
  const store = await openStore(target.campaignDir);
  try {
    const campaign = await resolveCampaign(store, target.name);
    if (opts.trials) {
      const benchmarkDir = target.config?.benchmark ?? null;
      const { trials } = await exportTrials({ store, campaign, outDir, benchmarkDir });
      process.stdout.write(`exported ${trials} trial(s) of ${campaign} as a Harbor job → ${outDir}\n`);
      return;
    }
    const data = await buildReportData(store, { campaign });
    const done = await exportHarness({
      store,
      data,
      outDir,
      ...(opts.candidate ? { candidateId: opts.candidate } : {}),
    });
    process.stdout.write(
      `exported ${done.isBest ? 'the best harness' : 'candidate'} ${done.candidateId} of ${campaign} → ${outDir} (CARD.md beside it)\n` +
        `run it: autoagent eval <task-or-benchmark> --harness ${outDir}\n`,
    );
  } finally {
    await store.close();
  }
}
