/**
 * Driving the built CLIs as a user does: `autoagent` (dist/src/cli/main.js) one-shot commands that we
 * await, long-running ones (`run`, `worker`) as child processes we can signal or kill -9, and the fake
 * Messages API server's own CLI. dist/ is rebuilt when any source file is newer; a lock folder keeps two
 * test files from running tsc into dist/ at once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');
export const FAKE_CLI = path.join(ROOT, 'dist/src/llm/fake-server/cli.js');
export const API_KEY = 'sk-ant-test-e2e-campaign-7d3a91c0';

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSourceMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

// Both entry points must exist: a build interrupted part-way can leave main.js without the fake server.
// benchmarks/search-sim is built into dist/ too (its e2e test runs it from there).
const fresh = (): boolean =>
  existsSync(CLI) &&
  existsSync(FAKE_CLI) &&
  statSync(CLI).mtimeMs >
    Math.max(newestSourceMtime(path.join(ROOT, 'src')), newestSourceMtime(path.join(ROOT, 'benchmarks/search-sim')));

/** Builds dist/ unless it is newer than every source file; waits for a build another test file started. */
export async function ensureBuilt(): Promise<void> {
  const lock = path.join(ROOT, 'dist/.e2e-build-lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A stale lock (a killed run) is older than any build takes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The Temporal CLI binary: required, never skipped. */
export function temporalCli(): string {
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli)
    throw new Error(
      'TEMPORAL_CLI_PATH is not set: the campaign e2e tests need the Temporal CLI binary (export TEMPORAL_CLI_PATH=/path/to/temporal)',
    );
  if (!existsSync(cli)) throw new Error(`TEMPORAL_CLI_PATH=${cli} does not exist`);
  return cli;
}

export interface CliEnv {
  /** The fake Messages API. */
  baseUrl: string;
  /** Client/worker mode; omitted = embedded mode (TEMPORAL_ADDRESS removed from the environment). */
  temporalAddress?: string;
  cwd?: string;
  /** false for commands that never start Temporal (`eval`): TEMPORAL_CLI_PATH is then not required. */
  temporal?: boolean;
  /** Applied last; undefined removes a variable (e.g. ANTHROPIC_API_KEY for the missing-key checks). */
  env?: Record<string, string | undefined>;
  /** A command the CLI runs under (it gets `node <cli> <args…>` appended), e.g. `unshare … sh -c '… exec "$@"' sh`. */
  wrap?: string[];
}

function envFor(e: CliEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: e.baseUrl };
  if (e.temporal !== false) env['TEMPORAL_CLI_PATH'] = temporalCli();
  delete env['AUTOAGENT_DEBUG'];
  delete env['TEMPORAL_NAMESPACE'];
  if (e.temporalAddress) env['TEMPORAL_ADDRESS'] = e.temporalAddress;
  else delete env['TEMPORAL_ADDRESS'];
  for (const [k, v] of Object.entries(e.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** A CLI process we follow: output so far, and a promise of its exit. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], e: CliEnv): CliProcess {
  const [cmd, ...pre] = [...(e.wrap ?? []), process.execPath, CLI, ...args] as [string, ...string[]];
  const child = spawn(cmd, pre, {
    cwd: e.cwd ?? ROOT,
    env: envFor(e),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after timeoutMs, which then fails the caller's exit-code check). */
export async function runCli(args: string[], e: CliEnv, timeoutMs = 120_000): Promise<CliResult> {
  const p = startCli(args, e);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), timeoutMs);
  const { code } = await p.exited.finally(() => clearTimeout(timer));
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/**
 * The JSON objects among the output lines. strict: every non-blank line must be one (the `--json`
 * contract of `eval`), so a stray human line fails the parse instead of being skipped.
 */
export const jsonLines = (out: string, { strict = false }: { strict?: boolean } = {}): Record<string, unknown>[] =>
  out
    .split('\n')
    .filter((l) => (strict ? l.trim() !== '' : l.trim().startsWith('{')))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The fake Messages API as a user runs it: its own CLI, printing its URL as the first stdout line. */
export interface FakeServerProcess {
  child: ChildProcess;
  url: string;
  /** Its stderr so far (one line per call answered). */
  log(): string;
}

export async function startFakeServerCli(args: string[]): Promise<FakeServerProcess> {
  const child = spawn(process.execPath, [FAKE_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''; // the URL line may arrive in more than one chunk
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')).trim());
    });
    child.once('exit', (code) => reject(new Error(`fake server ${args.join(' ')} exited ${code}: ${log}`)));
  });
  return { child, url, log: () => log };
}

/** Polls `fn` until it returns a truthy value; throws (with `what`) after timeoutMs. */
export async function waitFor<T>(
  what: string,
  fn: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
