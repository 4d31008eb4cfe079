/**
 * Do tool calls come out of the local model? The first turn of the local seed harness on starter task
 * instructions, two ways, same weights, same sampling:
 *   ours   — the LocalEngine path the `local` provider uses (tools described in the system text, fenced-JSON
 *            calls, grammar-constrained once a call opens; src/llm/local);
 *   native — node-llama-cpp's own function calling through the chat wrapper it picks for the model
 *            (for Qwen2.5: QwenChatWrapper, <tool_call> tags, its own grammar).
 * Counts first-turn tool calls, well-formed ones (a known tool, input matching the required arguments),
 * and prints generation speed. A measurement, not a test: the figures go into notes.
 * Run: npm run build && node dist/benchmarks/perf/local-tool-calls.js [runs=5] [local model name=default]
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { LocalEngine, engineSettings, loadRuntime } from '../../src/llm/local/engine';
import { toolCallSchema } from '../../src/llm/local/grammar';
import { resolveLocalModel } from '../../src/llm/local/models';
import { parseAnswer } from '../../src/llm/local/parse';
import { toChatTurns } from '../../src/llm/local/prompt';

const ROOT = path.resolve(__dirname, '../../..');
const str = (description: string) => ({ type: 'string' as const, description });
const obj = (p: Record<string, { type: 'string'; description: string }>) => ({
  type: 'object' as const,
  properties: p,
  required: Object.keys(p),
});
const TOOLS: Anthropic.Tool[] = [
  {
    name: 'bash',
    description: 'Run a shell command with bash -c in the task environment and get its stdout, stderr and exit code.',
    input_schema: obj({ command: str('The command to run.') }),
  },
  { name: 'read_file', description: 'Read a text file.', input_schema: obj({ path: str('File path.') }) },
  {
    name: 'write_file',
    description: 'Write a whole file.',
    input_schema: obj({ path: str('File path.'), content: str('The full new content of the file.') }),
  },
  {
    name: 'finish',
    description: 'Call this when the task is complete, with a short summary.',
    input_schema: obj({ summary: str('What was done, and how it was verified.') }),
  },
];

interface Outcome {
  call: boolean;
  wellFormed: boolean;
  tokens: number;
  ms: number;
}

function wellFormed(name: string, input: unknown): boolean {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool || typeof input !== 'object' || input === null) return false;
  return (tool.input_schema.required ?? []).every((k) => typeof (input as Record<string, unknown>)[k] === 'string');
}

async function tasks(n: number): Promise<{ name: string; system: string; instruction: string }[]> {
  const dir = path.join(ROOT, 'benchmarks/tasks/starter');
  const template = await fs.readFile(path.join(ROOT, 'benchmarks/harnesses/local-baseline/system.md'), 'utf8');
  const names = (await fs.readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .slice(0, n);
  return Promise.all(
    names.map(async (name) => {
      const instruction = await fs.readFile(path.join(dir, name, 'instruction.md'), 'utf8');
      return {
        name,
        instruction,
        system: template.replace('{{task_name}}', name).replace('{{instruction}}', instruction),
      };
    }),
  );
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const model = resolveLocalModel(process.argv[3] ?? 'default');
  const settings = { ...engineSettings(), sequences: 1 };
  const temperature = 0.5;
  const engine = await LocalEngine.for(model.file, settings);
  const { nlc, llama } = await loadRuntime();
  const nativeModel = await llama.loadModel({ modelPath: model.file });
  const nativeCtx = await nativeModel.createContext({
    contextSize: settings.contextSize,
    sequences: 1,
    threads: settings.threads,
  });
  const chat = new nlc.LlamaChat({ contextSequence: nativeCtx.getSequence() });
  const functions = Object.fromEntries(
    TOOLS.map((t) => [t.name, { description: t.description ?? '', params: t.input_schema as never }]),
  );
  console.log(
    `model ${model.name}; ours renders with ${engine.chatWrapperName}, native uses ${chat.chatWrapper.wrapperName}; threads ${settings.threads}`,
  );
  const results: Record<'ours' | 'native', Outcome[]> = { ours: [], native: [] };
  for (const t of await tasks(runs)) {
    const req = {
      model: 'local',
      max_tokens: 160,
      system: t.system,
      tools: TOOLS,
      messages: [{ role: 'user' as const, content: t.instruction }],
    };
    let started = Date.now();
    const r = await engine.generate({
      turns: toChatTurns(req),
      maxTokens: 160,
      temperature,
      callSchema: toolCallSchema(TOOLS),
    });
    const call = parseAnswer(r.text).calls[0];
    results.ours.push({
      call: !!call,
      wellFormed: !!call && wellFormed(call.name, call.input),
      tokens: r.completionTokens,
      ms: Date.now() - started,
    });
    started = Date.now();
    const history = [
      { type: 'system' as const, text: t.system },
      { type: 'user' as const, text: t.instruction },
      { type: 'model' as const, response: [] },
    ];
    const n = await chat.generateResponse(history, { functions, maxTokens: 160, temperature });
    const fc = n.functionCalls?.[0];
    const nTokens =
      nativeModel.tokenize(n.response).length + (fc ? nativeModel.tokenize(JSON.stringify(fc.params ?? {})).length : 0);
    results.native.push({
      call: !!fc,
      wellFormed: !!fc && wellFormed(fc.functionName, fc.params),
      tokens: nTokens,
      ms: Date.now() - started,
    });
    console.log(
      JSON.stringify({
        task: t.name,
        ours: { call: call?.name ?? null, text: r.text.slice(0, 160) },
        native: { call: fc?.functionName ?? null, text: n.response.slice(0, 160) },
      }),
    );
  }
  for (const [way, rs] of Object.entries(results)) {
    const tokens = rs.reduce((a, r) => a + r.tokens, 0);
    const s = rs.reduce((a, r) => a + r.ms, 0) / 1000;
    console.log(
      `${way}: tool call on the first turn ${rs.filter((r) => r.call).length}/${rs.length}, well-formed ${rs.filter((r) => r.wellFormed).length}/${rs.length}; ${tokens} tokens out in ${s.toFixed(0)} s (prompt included)`,
    );
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
