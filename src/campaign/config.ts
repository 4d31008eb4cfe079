/**
 * Loads campaign.yaml: YAML → zod (schema.ts; errors name the file and the field; paths resolved against
 * the file's folder) → paths checked to exist. The result is JSON-safe; the plan is made of it.
 * Which tasks exist is only known once the benchmark is loaded, so names are checked by `resolveCampaign`.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CampaignConfigError } from './errors';
import { indexedPath } from '../util/zod-issue';
import { campaignFileSchema, userIssues, type CampaignConfig } from './schema';

export type { CampaignConfig };

/** Validates an already-parsed document; `file` is used for messages and to resolve relative paths. */
export function parseCampaignConfig(raw: unknown, file: string): CampaignConfig {
  const abs = path.resolve(file);
  const parsed = campaignFileSchema(abs).safeParse(raw ?? {});
  if (!parsed.success) {
    throw new CampaignConfigError(
      abs,
      userIssues(parsed.error.issues).map((p) => ({ field: indexedPath(p.path), message: p.message })),
    );
  }
  return parsed.data;
}

function checkPaths(c: CampaignConfig): void {
  const isDir = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isDirectory();
  const isFile = (p: string): boolean => fs.existsSync(p) && fs.statSync(p).isFile();
  const problems = [
    isDir(c.benchmark) ? null : { field: 'benchmark', message: `folder not found: ${c.benchmark}` },
    isDir(c.seedHarness) ? null : { field: 'seedHarness', message: `folder not found: ${c.seedHarness}` },
    isFile(c.program) ? null : { field: 'program', message: `file not found: ${c.program}` },
  ].filter((p): p is { field: string; message: string } => p !== null);
  if (problems.length > 0) throw new CampaignConfigError(c.file, problems);
}

/** Reads, validates and resolves campaign.yaml; throws CampaignConfigError naming the file and field. */
export function loadCampaignConfig(file: string): CampaignConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    throw new CampaignConfigError(abs, [
      { field: '', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` },
    ]);
  }
  const doc = YAML.parseDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0];
    throw new CampaignConfigError(abs, [
      { field: '', message: `invalid YAML${line ? ` at line ${line.line}` : ''}: ${yamlError.message.split('\n')[0]}` },
    ]);
  }
  const config = parseCampaignConfig(doc.toJS(), abs);
  checkPaths(config);
  return config;
}
