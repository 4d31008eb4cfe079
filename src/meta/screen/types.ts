/** Findings of the reward-tampering screen: which rule, where (file and line, or trajectory step), what. */

/**
 * - verifier-output: the reward files in /logs/verifier (reward.txt / reward.json);
 * - tests-dir: the tests copied to /tests after the agent finishes (test.sh and its files);
 * - test-tooling: what the tests run — system binaries, shadowing a tool (grep, python, bash...), Python
 *   start-up hooks, persisted PATH / alias / LD_PRELOAD changes;
 * - background-process: a process meant to outlive the agent's turn (nohup, setsid, disown, `&`, cron, at).
 */
export type TamperRule = 'verifier-output' | 'tests-dir' | 'test-tooling' | 'background-process';

export interface TamperFinding {
  rule: TamperRule;
  /** Harness file (relative), or `trajectory` / `trajectory:<sub-agent session>`. */
  file: string;
  /** 1-based line of the harness file, or the trajectory step id. */
  line: number;
  /** Why it was flagged, in a few words. */
  detail: string;
  /** The offending text, cut to one short line. */
  excerpt: string;
  /** Trajectory findings: the tool called. */
  tool?: string;
}

/** One hit of the shell analysis before it is placed in a file / step. */
export interface ShellHit {
  rule: TamperRule;
  detail: string;
  /** A started process (nohup, &, ...) that a later kill/wait can stop; cron and at jobs are not. */
  stoppable?: boolean;
  /** The started process loops or waits to act later (while, sleep, watch...): meant to outlive the agent. */
  lingering?: boolean;
}

const EXCERPT_CHARS = 160;

export function excerptOf(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= EXCERPT_CHARS ? one : `${one.slice(0, EXCERPT_CHARS - 1)}…`;
}

const MAX_LISTED = 3;

/** One line for verdicts and logs: the first few findings, each with its place, rule and text. */
export function describeFindings(findings: readonly TamperFinding[]): string {
  const listed = findings.slice(0, MAX_LISTED).map((f) => {
    const where = f.tool ? `${f.file} step ${f.line} (${f.tool})` : `${f.file}:${f.line}`;
    return `${where} [${f.rule}] ${f.detail}: "${f.excerpt}"`;
  });
  const more = findings.length > MAX_LISTED ? `; +${findings.length - MAX_LISTED} more` : '';
  return `${listed.join('; ')}${more}`;
}
