/**
 * AUTOAGENT_STORE → where records live: `sqlite:<path>` (the embedded default: the campaign folder's
 * store.sqlite) or `postgres://…` / `postgresql://…` (a server shared by many machines). Anything else is an
 * error naming the variable.
 */
import path from 'node:path';

export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

class StoreUrlError extends Error {
  constructor(
    readonly value: string,
    problem: string,
  ) {
    super(
      `AUTOAGENT_STORE=${JSON.stringify(redactUrl(value))}: ${problem}; expected sqlite:<path> or postgres://user:pass@host:port/db`,
    );
    this.name = 'StoreUrlError';
  }
}

export function parseStoreUrl(value: string): StoreLocation {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new StoreUrlError(value, 'no file after sqlite:');
    return { kind: 'sqlite', file: path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new StoreUrlError(value, 'not a valid URL');
    }
    return { kind: 'postgres', url: value };
  }
  throw new StoreUrlError(value, 'unknown scheme');
}

/** The URL without its password, for messages and logs. */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}

/** What to open: the variable when set, else the given default SQLite file. */
export function storeLocationFromEnv(
  defaultSqliteFile: string,
  env: Record<string, string | undefined> = process.env,
): StoreLocation {
  return env.AUTOAGENT_STORE
    ? parseStoreUrl(env.AUTOAGENT_STORE)
    : { kind: 'sqlite', file: path.resolve(defaultSqliteFile) };
}
