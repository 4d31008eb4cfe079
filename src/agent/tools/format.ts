/** Turns command results and file text into bounded tool_result text the model can read. */
import type { ExecResult } from '../../sandbox/types';

export function formatExec(r: ExecResult, timeoutSec: number): string {
  const parts: string[] = [];
  if (r.stdout) parts.push(r.stdout.endsWith('\n') ? r.stdout : `${r.stdout}\n`);
  if (r.stderr) parts.push(`[stderr]\n${r.stderr.endsWith('\n') ? r.stderr : `${r.stderr}\n`}`);
  parts.push(
    r.timedOut ? `[timed out after ${timeoutSec}s; the command was killed]` : `[exit code: ${r.exitCode ?? 'unknown'}]`,
  );
  return parts.join('');
}

/** Keeps the head and tail of text longer than maxBytes (UTF-8), saying how much was cut. */
export function truncateMiddle(text: string, maxBytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return text;
  const half = Math.floor(maxBytes / 2);
  const cut = buf.length - 2 * half;
  return `${buf.subarray(0, half).toString('utf8')}\n[... ${cut} bytes truncated ...]\n${buf.subarray(buf.length - half).toString('utf8')}`;
}
