/**
 * The processes running in a container, read from /proc by one exec (no ps needed: slim images lack it).
 * The listing shell and anything it starts are left out, so the answer is what else is alive.
 */
import type { ExecResult, ProcessInfo } from './types';

// `$$` is the listing shell and `$PPID` the exec wrapper's `timeout`; `read` is a builtin, so nothing else runs.
const SCRIPT = [
  'self=$$; parent=$PPID',
  'for d in /proc/[0-9]*; do',
  '  p=${d#/proc/}; { [ "$p" = "$self" ] || [ "$p" = "$parent" ]; } && continue',
  '  read -r line < "$d/stat" 2>/dev/null && echo "$line"',
  'done; true',
].join('\n');

/** `1 (docker-init) S 0 ...` → {pid: 1, comm: 'docker-init', ppid: 0}; comm may hold spaces and parens. */
export function parseStatLines(text: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const open = line.indexOf(' (');
    const close = line.lastIndexOf(') ');
    if (open < 0 || close < open) continue;
    const pid = Number(line.slice(0, open));
    const ppid = Number(line.slice(close + 2).split(' ')[1]);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) out.push({ pid, ppid, comm: line.slice(open + 2, close) });
  }
  return out;
}

export async function listProcesses(box: {
  exec(command: string, opts: { timeoutSec: number; user: string; maxOutputBytes: number }): Promise<ExecResult>;
}): Promise<ProcessInfo[]> {
  const r = await box.exec(SCRIPT, { timeoutSec: 30, user: '0', maxOutputBytes: 1024 * 1024 });
  return parseStatLines(r.stdout);
}
