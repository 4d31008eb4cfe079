/**
 * The one heartbeat timer: while `fn` runs, `heartbeat(detail + elapsedMs)` is sent at its start and then
 * every `everyMs`. A failing heartbeat never fails the work it reports on. Used by the trial pipeline's long
 * phases and by the activities around a trial or a proposal (which also hand `beat` on for progress details).
 */
const HEARTBEAT_EVERY_MS = 10_000;

export type Heartbeat = (detail: unknown) => void;

export async function withHeartbeat<T>(
  heartbeat: Heartbeat | undefined,
  detail: Record<string, unknown>,
  fn: () => Promise<T>,
  everyMs: number = HEARTBEAT_EVERY_MS,
): Promise<T> {
  if (!heartbeat) return fn();
  const t0 = Date.now();
  const beat = (): void => {
    try {
      heartbeat({ ...detail, elapsedMs: Date.now() - t0 });
    } catch {
      /* a heartbeat must never fail a trial */
    }
  };
  beat();
  const timer = setInterval(beat, everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
