/**
 * The built-in tools (a public interface: names and inputs are fixed by the contract): bash, read_file,
 * write_file, edit_file, finish. Inputs are zod-checked; the JSON schemas shown to the model say the same.
 */
import { z } from 'zod';
import type { Sandbox } from '../../sandbox/types';
import { shellQuote } from '../../util/shell';
import { defineTool, type AgentTool, type ParseResult } from './types';
import { formatExec, truncateMiddle } from './format';
import { issueLines } from '../../util/zod-issue';

export interface BuiltinOptions {
  bashTimeoutSec: number;
  maxOutputBytes: number;
}

export function zodParse<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: issueLines(r.error.issues, '; ') };
}

const str = (description: string) => ({ type: 'string', description });
const objectSchema = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
});

const BashInput = z.object({ command: z.string().min(1) });
const ReadInput = z.object({ path: z.string().min(1) });
const WriteInput = z.object({ path: z.string().min(1), content: z.string() });
const EditInput = z.object({ path: z.string().min(1), old_string: z.string().min(1), new_string: z.string() });
const FinishInput = z.object({ summary: z.string() });

export function bashTool(o: BuiltinOptions): AgentTool {
  return defineTool({
    name: 'bash',
    description:
      `Run a shell command with bash -c in the task environment and get its stdout, stderr and exit code. ` +
      `Commands time out after ${o.bashTimeoutSec}s; output is capped at ${o.maxOutputBytes} bytes per stream (middle cut). ` +
      `State such as the working directory does not persist between calls: chain commands with && or use absolute paths.`,
    inputSchema: objectSchema({ command: str('The command to run.') }),
    parse: (i) => zodParse(BashInput, i),
    async run({ command }, s) {
      const timeoutSec = s.remainingSec(o.bashTimeoutSec);
      const r = await s.sandbox.exec(command, { timeoutSec, maxOutputBytes: o.maxOutputBytes });
      return { content: formatExec(r, timeoutSec), isError: r.timedOut };
    },
  });
}

export function readFileTool(o: BuiltinOptions): AgentTool {
  return defineTool({
    name: 'read_file',
    description: `Read a text file (absolute, or relative to the working directory). Long files are cut in the middle at ${o.maxOutputBytes} bytes.`,
    inputSchema: objectSchema({ path: str('File path.') }),
    parse: (i) => zodParse(ReadInput, i),
    async run({ path }, s) {
      const abs = await s.resolvePath(path);
      const buf = await s.sandbox.getFile(abs);
      if (buf === null) return { content: `File not found: ${abs}`, isError: true };
      return { content: truncateMiddle(buf.toString('utf8'), o.maxOutputBytes), isError: false };
    },
  });
}

export function writeFileTool(): AgentTool {
  return defineTool({
    name: 'write_file',
    description: 'Create or overwrite a file with the given content (parent folders are created).',
    inputSchema: objectSchema({ path: str('File path.'), content: str('The full new content of the file.') }),
    parse: (i) => zodParse(WriteInput, i),
    async run({ path, content }, s) {
      const abs = await s.resolvePath(path);
      await s.sandbox.putFile(abs, content, await existingMode(s.sandbox, abs));
      return { content: `Wrote ${Buffer.byteLength(content, 'utf8')} bytes to ${abs}`, isError: false };
    },
  });
}

export function editFileTool(): AgentTool {
  return defineTool({
    name: 'edit_file',
    description:
      'Replace exactly one occurrence of old_string with new_string in a file. old_string must match the file text exactly ' +
      '(including whitespace) and be unique; include surrounding lines to make it unique.',
    inputSchema: objectSchema({
      path: str('File path.'),
      old_string: str('Exact text to replace.'),
      new_string: str('Replacement text.'),
    }),
    parse: (i) => zodParse(EditInput, i),
    async run({ path, old_string, new_string }, s) {
      const abs = await s.resolvePath(path);
      const buf = await s.sandbox.getFile(abs);
      if (buf === null) return { content: `File not found: ${abs}`, isError: true };
      const text = buf.toString('utf8');
      const count = text.split(old_string).length - 1;
      if (count !== 1) {
        const why =
          count === 0 ? 'old_string was not found' : `old_string matches ${count} times; add context to make it unique`;
        return { content: `Edit not applied to ${abs}: ${why}.`, isError: true };
      }
      const i = text.indexOf(old_string);
      const next = text.slice(0, i) + new_string + text.slice(i + old_string.length);
      await s.sandbox.putFile(abs, next, await existingMode(s.sandbox, abs));
      return { content: `Edited ${abs} (1 replacement).`, isError: false };
    },
  });
}

export function finishTool(
  description = 'Call this when the task is complete (or cannot be completed), with a short summary of what you did and how you checked it.',
): AgentTool {
  return defineTool({
    name: 'finish',
    description,
    inputSchema: objectSchema({ summary: str('What was done, and how it was verified.') }),
    parse: (i) => zodParse(FinishInput, i),
    async run({ summary }) {
      return { content: 'Finish recorded.', isError: false, finish: { summary } };
    },
  });
}

/** Keeps an existing file's permission bits (an edited script stays executable); new files get 0644. */
async function existingMode(sandbox: Sandbox, abs: string): Promise<number | undefined> {
  const r = await sandbox.exec(`stat -c %a -- ${shellQuote(abs)} 2>/dev/null`, { timeoutSec: 30 });
  const mode = parseInt(r.stdout.trim(), 8);
  return r.exitCode === 0 && Number.isInteger(mode) ? mode : undefined;
}

export function builtinTools(enabled: readonly string[], o: BuiltinOptions): AgentTool[] {
  const all: Record<string, () => AgentTool> = {
    bash: () => bashTool(o),
    read_file: () => readFileTool(o),
    write_file: () => writeFileTool(),
    edit_file: () => editFileTool(),
  };
  return enabled.flatMap((n) => (all[n] ? [all[n]()] : []));
}
