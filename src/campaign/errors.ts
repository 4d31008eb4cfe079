/**
 * A campaign.yaml that cannot be used. `file` is the config file, `field` the dotted path of the offending
 * key ('' for the whole file). The message names both, e.g. `campaign.yaml: budget.usd: expected a positive
 * number`; with several problems, one per line.
 */
import path from 'node:path';

export class CampaignConfigError extends Error {
  override readonly name = 'CampaignConfigError';
  readonly file: string;
  readonly field: string;
  readonly problems: { field: string; message: string }[];

  constructor(file: string, problems: { field: string; message: string }[]) {
    const lines = problems.map((p) =>
      p.field ? `${displayPath(file)}: ${p.field}: ${p.message}` : `${displayPath(file)}: ${p.message}`,
    );
    super(lines.join('\n'));
    this.file = file;
    this.field = problems[0]?.field ?? '';
    this.problems = problems;
  }
}

/** Paths under the working directory are shown relative: shorter, and what the user typed. */
function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
