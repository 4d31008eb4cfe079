/**
 * Screens what the meta-agent wrote: every line a candidate harness adds to its parent (a new file counts
 * whole) in the prompts, harness.yaml, sub-agents and tool yaml + scripts. A harness has no legitimate
 * reason to name the verifier's paths at all (the tests are not even there while the agent runs), so any
 * reference to /logs/verifier, reward.txt/json or /tests is a finding; commands and code (tool scripts,
 * yaml `command:`, code in prompts) are also checked for writes to test tooling and for background
 * processes. Prose is only checked for words (nohup, setsid, ...) — "run servers in the background" is
 * advice, not a command. Pure: files in, findings out.
 */
import { backgroundWordHits, scanShell, SHADOW_DEF } from './shell';
import { excerptOf, type ShellHit, type TamperFinding } from './types';

const VERIFIER_REF = /\/logs\/verifier|\breward\.(txt|json)\b/;
const TESTS_REF = /(?<![\w.~$/-])\/tests(?=$|[/\s'"`)\]:;,.])/;

type Mode = 'prose' | 'code';

interface ClassifiedLine {
  text: string;
  /** Code found on the line (the whole line, its `command:` value, or its inline `code` spans), or ''. */
  code: string;
  mode: Mode;
}

const inlineCode = (line: string): string => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '').join('\n');
const isComment = (line: string): boolean => /^\s*(#|\/\/)/.test(line) && !/^\s*#!/.test(line);

function markdownLines(lines: string[]): ClassifiedLine[] {
  let fenced = false;
  return lines.map((text) => {
    if (/^\s*(```|~~~)/.test(text)) {
      fenced = !fenced;
      return { text, code: '', mode: 'prose' };
    }
    return fenced ? { text, code: text, mode: 'code' } : { text, code: inlineCode(text), mode: 'prose' };
  });
}

/** YAML: only `command:` values (and their block-scalar lines) are shell; descriptions are prose. */
function yamlLines(lines: string[]): ClassifiedLine[] {
  let blockIndent: number | null = null;
  return lines.map((text) => {
    const indent = text.length - text.trimStart().length;
    if (blockIndent !== null && (text.trim() === '' || indent > blockIndent)) return { text, code: text, mode: 'code' };
    blockIndent = null;
    const m = /^(\s*)command:\s*(.*)$/.exec(text);
    if (!m) return { text, code: '', mode: 'prose' };
    if (/^[|>][-+]?\s*$/.test(m[2] ?? '')) blockIndent = (m[1] ?? '').length;
    return { text, code: (m[2] ?? '').replace(/^[|>][-+]?\s*$/, ''), mode: 'code' };
  });
}

const scriptLines = (lines: string[]): ClassifiedLine[] =>
  lines.map((text) => ({ text, code: isComment(text) ? '' : text, mode: 'code' as const }));

function classify(file: string, text: string): ClassifiedLine[] {
  const lines = text.split('\n');
  if (/\.(md|markdown|txt)$/i.test(file)) return markdownLines(lines);
  if (/\.ya?ml$/i.test(file)) return yamlLines(lines);
  return scriptLines(lines);
}

function lineHits(l: ClassifiedLine): ShellHit[] {
  const hits: ShellHit[] = [];
  if (VERIFIER_REF.test(l.text))
    hits.push({ rule: 'verifier-output', detail: 'names the verifier output (/logs/verifier, reward.txt/json)' });
  if (TESTS_REF.test(l.text)) hits.push({ rule: 'tests-dir', detail: 'names the verifier tests folder /tests' });
  if (SHADOW_DEF.test(l.text))
    hits.push({ rule: 'test-tooling', detail: 'defines an alias or function shadowing a test tool' });
  hits.push(...backgroundWordHits(l.text));
  if (l.code) hits.push(...scanShell(l.code, { background: true }));
  return hits;
}

/** One finding per rule and line (the first reason found). */
function perRule(file: string, line: number, text: string, hits: ShellHit[]): TamperFinding[] {
  const byRule = new Map<string, TamperFinding>();
  for (const h of hits) {
    if (!byRule.has(h.rule))
      byRule.set(h.rule, { rule: h.rule, file, line, detail: h.detail, excerpt: excerptOf(text) });
  }
  return [...byRule.values()];
}

/** Findings in one file; only lines not already in `parentText` (null: a new file, every line counts). */
export function screenHarnessFile(file: string, text: string, parentText: string | null): TamperFinding[] {
  const inherited = new Set(parentText === null ? [] : parentText.split('\n'));
  return classify(file, text).flatMap((l, i) =>
    inherited.has(l.text) ? [] : perRule(file, i + 1, l.text, lineHits(l)),
  );
}

/**
 * Findings of a candidate against its parent (null parent: screen every file whole, e.g. a seed). Files
 * in path order, lines in order, so the same change always gives the same findings.
 */
export function screenHarnessChange(
  parent: Readonly<Record<string, string>> | null,
  candidate: Readonly<Record<string, string>>,
): TamperFinding[] {
  return Object.keys(candidate)
    .sort()
    .flatMap((file) => screenHarnessFile(file, candidate[file] ?? '', parent ? (parent[file] ?? null) : null));
}
