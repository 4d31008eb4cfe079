/**
 * Writes a Harbor job folder's own files: `config.json` (JobConfig) when the job starts and `result.json`
 * (JobResult) when it ends; the trial folders beside them are written by the trials themselves
 * (src/trial/artifacts.ts). Atomic writes, so a reader never sees half a file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TrialResult } from '../trial/types';
import { harborJobConfig, harborJobResult, type HarborJobContext } from './job-record';

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  await rename(tmp, file);
}

export const jobContextFor = (
  jobDir: string,
  rest: Omit<HarborJobContext, 'jobName' | 'jobsDir'>,
): HarborJobContext => ({
  jobName: path.basename(jobDir),
  jobsDir: path.dirname(jobDir),
  ...rest,
});

export async function writeHarborJobConfig(jobDir: string, ctx: HarborJobContext): Promise<void> {
  await writeJson(path.join(jobDir, 'config.json'), harborJobConfig(ctx));
}

export async function writeHarborJobResult(
  jobDir: string,
  ctx: HarborJobContext,
  results: TrialResult[],
  total: number,
): Promise<void> {
  await writeJson(path.join(jobDir, 'result.json'), harborJobResult(ctx, results, total));
}
