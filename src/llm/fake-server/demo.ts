/**
 * The offline demo model: a scripted stand-in for Claude that lets a new user run the example campaign end
 * to end without an API key (`cli.js --demo <benchmark-dir>`). It answers the task agent (demo-task.ts)
 * and the meta-agent (demo-meta.ts), told apart by the meta-harness's system prompt, and reports plausible
 * per-call token usage so costs show. It keeps no state between requests: each reply is derived from the
 * request's own messages, so concurrent trials and proposals are independent. Every text it writes says
 * it is a demo model.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readConversation, type Conversation } from './demo-conversation';
import { metaAgentTurn } from './demo-meta';
import { taskAgentTurn, type DemoTask, type DemoTurn } from './demo-task';
import type { FakeReply, FakeScript, RecordedRequest } from './script';
import { errorText } from '../../util/error-text';

/** A phrase only the meta-harness's system prompt has (src/meta/meta-harness/system.md). */
export const META_MARKER = 'You are an expert agent engineer';

export class DemoBenchmarkError extends Error {
  override readonly name = 'DemoBenchmarkError';
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(`${dir}: ${message}`);
  }
}

export interface DemoBenchmark {
  dir: string;
  tasks: DemoTask[];
}

/** Reads every `<dir>/<task>/instruction.md` (and solution/solve.sh when present). */
export async function loadDemoBenchmark(dir: string): Promise<DemoBenchmark> {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new DemoBenchmarkError(root, 'benchmark folder not found');
  const tasks: DemoTask[] = [];
  for (const e of (await readdir(root, { withFileTypes: true }))
    .filter((x) => x.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const instructionPath = path.join(root, e.name, 'instruction.md');
    if (!existsSync(instructionPath)) continue;
    const solvePath = path.join(root, e.name, 'solution', 'solve.sh');
    const solve = existsSync(solvePath) ? await readFile(solvePath, 'utf8') : null;
    tasks.push({ name: e.name, instruction: await readFile(instructionPath, 'utf8'), solve });
  }
  if (tasks.length === 0) throw new DemoBenchmarkError(root, 'no task folders with an instruction.md');
  return { dir: root, tasks };
}

const isMetaAgent = (conv: Conversation): boolean => conv.system.includes(META_MARKER);

/** The demo model's next turn for a request body (throws a zod error when the body lacks messages). */
export function demoTurn(body: unknown, bench: DemoBenchmark): DemoTurn {
  const conv = readConversation(body);
  return isMetaAgent(conv) ? metaAgentTurn(conv) : taskAgentTurn(conv, bench.tasks);
}

/** Plausible usage: ~4 characters a token for the whole request in, the reply (plus some reasoning) out. */
function demoUsage(body: unknown, turn: DemoTurn): { input_tokens: number; output_tokens: number } {
  return {
    input_tokens: Math.ceil(JSON.stringify(body).length / 4),
    output_tokens: 40 + Math.ceil(JSON.stringify(turn.content).length / 4),
  };
}

/** The fake server's script: one demo turn per request; a request it cannot read gets a 400. */
export function demoScript(bench: DemoBenchmark, log: (line: string) => void = () => undefined): FakeScript {
  return (req: RecordedRequest, i: number): FakeReply => {
    try {
      const turn = demoTurn(req.body, bench);
      log(`demo-model: call ${i} ${turn.note}`);
      return { content: turn.content, usage: demoUsage(req.body, turn) };
    } catch (e) {
      const message = `demo model: cannot read the request: ${errorText(e)}`;
      log(`demo-model: call ${i} ${message}`);
      return { error: 'bad_request', message };
    }
  };
}
