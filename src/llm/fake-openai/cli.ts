/**
 * Runs the fake OpenAI-compatible Chat Completions server from a JSON script file (the same format as the
 * fake Messages API's, src/llm/fake-server/script.ts), for manual runs against the real CLI:
 *   node dist/src/llm/fake-openai/cli.js script.json [--port N]
 *   OPENAI_BASE_URL=http://127.0.0.1:N/v1 autoagent eval ... --model openai/<any-name>
 * Prints the base URL (with /v1) on stdout, logs one line per request on stderr, stops on SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { loadScriptFile, turnOf, type FakeScript, type RecordedRequest } from '../fake-server/script';
import { startFakeOpenAi } from './server';
import { errorText } from '../../util/error-text';

const USAGE = 'usage: cli.js <script.json> [--port N]';

async function run(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--port');
  const port = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 0;
  if (!file || !Number.isInteger(port) || port < 0) throw new Error(USAGE);
  const fake = await startFakeOpenAi(await scriptFromFile(file), { port });
  process.stdout.write(`${fake.url}\n`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function scriptFromFile(file: string): Promise<FakeScript> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const { replies, byTurn } = loadScriptFile(json, file);
  return (req: RecordedRequest, i: number) => {
    const at = byTurn ? turnOf(req) : i;
    process.stderr.write(`fake-openai: call ${i}${byTurn ? ` turn ${at}` : ''} ${req.path}\n`);
    return (
      replies[at] ?? {
        error: 'bad_request',
        message: `fake-openai: script exhausted at ${byTurn ? 'turn' : 'call'} ${at}`,
      }
    );
  };
}

run().catch((err: unknown) => {
  process.stderr.write(`fake-openai: ${errorText(err)}\n`);
  process.exit(1);
});
