/**
 * Runs the fake Messages API from a JSON script file, for manual runs against the real CLI:
 *   node dist/src/llm/fake-server/cli.js script.json [--port N]
 *   ANTHROPIC_BASE_URL=http://127.0.0.1:N ANTHROPIC_API_KEY=fake autoagent ...
 * Prints the URL on stdout, logs one line per request on stderr, stops on SIGINT/SIGTERM.
 * A plain array answers requests in arrival order; `{ "replies": [...], "byTurn": true }` answers each
 * request by its conversation's turn, so concurrent trials each walk the script (see script.ts).
 *
 * `cli.js --demo <benchmark-dir> [--port N]` serves the offline demo model instead (demo.ts): a scripted
 * stand-in that plays the task agent and the meta-agent well enough to run a whole campaign without a key.
 */
import { readFile } from 'node:fs/promises';
import { demoScript, loadDemoBenchmark } from './demo';
import { loadScriptFile, turnOf, type FakeScript, type RecordedRequest } from './script';
import { startFakeAnthropic } from './server';
import { errorText } from '../../util/error-text';

const USAGE = 'usage: cli.js <script.json> [--port N]  |  cli.js --demo <benchmark-dir> [--port N]';

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--port');
  const portArg = args[args.indexOf('--port') + 1];
  const port = args.includes('--port') ? Number(portArg) : 0;
  if (!file || !Number.isInteger(port) || port < 0) throw new Error(USAGE);
  const demo = args.includes('--demo');
  const script = demo ? await demoModel(file) : await scriptFromFile(file);
  const fake = await startFakeAnthropic(script, { port });
  if (demo) process.stderr.write(`demo-model: scripted stand-in model (not a real LLM) for the tasks in ${file}\n`);
  process.stdout.write(`${fake.url}\n`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function demoModel(dir: string): Promise<FakeScript> {
  return demoScript(await loadDemoBenchmark(dir), (line) => process.stderr.write(`${line}\n`));
}

async function scriptFromFile(file: string): Promise<FakeScript> {
  const { replies, byTurn } = loadScriptFile(await readJson(file), file);
  return (req: RecordedRequest, i: number) => {
    const at = byTurn ? turnOf(req) : i;
    process.stderr.write(`fake-anthropic: call ${i}${byTurn ? ` turn ${at}` : ''} ${req.path}\n`);
    return (
      replies[at] ?? {
        error: 'bad_request',
        message: `fake-anthropic: script exhausted at ${byTurn ? 'turn' : 'call'} ${at}`,
      }
    );
  };
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

run().catch((err: unknown) => {
  process.stderr.write(`fake-anthropic: ${errorText(err)}\n`);
  process.exit(1);
});
