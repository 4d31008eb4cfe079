/**
 * `autoagent report <campaign-dir> [--out FILE]`: writes one self-contained HTML report of a campaign
 * (works offline: charts, lineage, heatmap, diffs and every trajectory are inside the file).
 */
import { z } from 'zod';
import { generateReport } from '../../report/generate';
import { parseOptions } from '../options';

const ReportOptions = z.object({
  out: z.string().min(1).optional(),
  campaign: z.string().min(1).optional(),
  maxTrajectoryMb: z.coerce.number().positive().max(1024).default(2),
});

/** `report` (its arguments, options and help: cli/definitions.ts). */
export async function reportAction(dir: string, raw: unknown): Promise<void> {
  const opts = parseOptions(ReportOptions, raw);
  const r = await generateReport(dir, {
    out: opts.out,
    campaign: opts.campaign,
    maxInlineBytes: Math.round(opts.maxTrajectoryMb * 1048576),
  });
  const omitted = r.trajectories.omitted > 0 ? `, ${r.trajectories.omitted} trajectories over the cap left out` : '';
  process.stdout.write(
    `wrote ${r.file} (${(r.bytes / 1048576).toFixed(1)} MB: ${r.candidates} candidates, ${r.trials} trials${omitted}) in ${Math.round(r.ms.total)} ms\n`,
  );
}
