/**
 * Fault injection for the fake Messages API: wrappers around a script that make the endpoint fail on purpose
 * — for the first N requests, until a moment, or while a test holds a switch — and then recover, answering
 * from the wrapped script as if nothing happened. A fault is any error reply (401 auth, 429 rate_limit with a
 * retry-after header, 529 overloaded, 500 server, 404 not_found) or a slow answer (`delayMs`, for client
 * timeouts). Connection refused is the server itself going down: FakeAnthropic.down() / up().
 */
import type { ErrorReply, FakeReply, RecordedRequest } from './script';

export type ScriptFn = (req: RecordedRequest, callIndex: number) => FakeReply | Promise<FakeReply>;

/** The errors by the names tests use; `retry-after-ms` keeps the SDK's own retries quick in tests. */
export const FAULTS = {
  unauthorized: { error: 'auth', message: 'invalid x-api-key' },
  rateLimited: { error: 'rate_limit', headers: { 'retry-after': '1' } },
  overloaded: { error: 'overloaded', headers: { 'retry-after-ms': '5' } },
  serverError: { error: 'server', message: 'upstream exploded', headers: { 'retry-after-ms': '5' } },
  modelNotFound: { error: 'not_found', message: 'model: no-such-model' },
} as const satisfies Record<string, ErrorReply>;

/** A reply that takes `delayMs` to come (past a client timeout, the client gives up first). */
export const slow = (reply: FakeReply, delayMs: number): FakeReply => ({ ...reply, delayMs });

export interface FaultInjector {
  script: ScriptFn;
  /** Requests answered with a fault so far. */
  readonly faulted: number;
}

function inject(script: ScriptFn, faultFor: (req: RecordedRequest, i: number) => FakeReply | null): FaultInjector {
  let faulted = 0;
  return {
    get faulted() {
      return faulted;
    },
    script: (req, i) => {
      const f = faultFor(req, i);
      if (f === null) return script(req, i);
      faulted++;
      return f;
    },
  };
}

/** The first `n` requests (optionally only those `which` selects) get `fault`; later ones are answered normally. */
export function failFirst(
  n: number,
  fault: FakeReply,
  script: ScriptFn,
  which: (req: RecordedRequest) => boolean = () => true,
): FaultInjector {
  let seen = 0;
  return inject(script, (req) => (which(req) && seen++ < n ? fault : null));
}

/** Every request before epoch ms `untilMs` gets `fault`; from then on the endpoint has recovered. */
export function failUntil(untilMs: number, fault: FakeReply, script: ScriptFn): FaultInjector {
  return inject(script, () => (Date.now() < untilMs ? fault : null));
}

/** A switch the test holds: while failing, every request (that `which` selects) gets the fault. */
export function faultSwitch(
  script: ScriptFn,
  which: (req: RecordedRequest) => boolean = () => true,
): FaultInjector & {
  fail(fault: FakeReply): void;
  recover(): void;
} {
  let current: FakeReply | null = null;
  const inj = inject(script, (req) => (current !== null && which(req) ? current : null)) as FaultInjector & {
    fail(fault: FakeReply): void;
    recover(): void;
  };
  inj.fail = (fault) => void (current = fault);
  inj.recover = () => void (current = null);
  return inj; // mutated, not copied: `faulted` stays a live getter
}
