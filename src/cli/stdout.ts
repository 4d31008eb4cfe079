/**
 * A closed stdout (`autoagent eval --json | head -1`: the reader exits after one line) is not a crash: the
 * next write fails with EPIPE, which Node raises as an unhandled 'error' event with a stack trace. Here it
 * is noticed once, later writes are dropped silently, and the command is told so it can stop its work.
 */

let installed = false;
let closed = false;
const listeners = new Set<() => void>();

function install(): void {
  if (installed) return;
  installed = true;
  // Never removed: trials still winding down may write after the command returned.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') {
      process.stderr.write(`autoagent: cannot write to stdout: ${err.message}\n`);
      process.exit(1);
    }
    if (closed) return;
    closed = true;
    for (const fn of listeners) fn();
  });
}

/** Calls `fn` once when stdout's reader goes away; `closed()` tells whether it has. */
export function onStdoutClosed(fn: () => void): { closed(): boolean; dispose(): void } {
  install();
  listeners.add(fn);
  return { closed: () => closed, dispose: () => void listeners.delete(fn) };
}
