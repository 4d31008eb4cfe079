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

/** Whether `p` descends from the container's init (pid 1); execs hang off ppid 0 instead. */
export function underInit(p: ProcessInfo, byPid: ReadonlyMap<number, ProcessInfo>): boolean {
  for (let cur: ProcessInfo | undefined = p, n = 0; cur && n < 64; cur = byPid.get(cur.ppid), n++)
    if (cur.pid === 1) return true;
  return false;
}

/** The keep-alive (provider.ts) runs: a `sleep` of a `sh` under init, so the image's ENTRYPOINT has handed over. */
export function keepAliveRuns(procs: readonly ProcessInfo[]): boolean {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return procs.some((p) => p.comm === 'sleep' && byPid.get(p.ppid)?.comm === 'sh' && underInit(p, byPid));
}

/**
 * The processes once the container has settled: polled until the keep-alive runs (an image's ENTRYPOINT
 * prepares the container, starting what it starts, then execs the keep-alive), or `timeoutMs` passed (an
 * entrypoint that never hands over: what runs then is what there is).
 */
export async function settledProcesses(
  list: () => Promise<ProcessInfo[]>,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<ProcessInfo[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const procs = await list();
    if (keepAliveRuns(procs) || Date.now() >= deadline) return procs;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
