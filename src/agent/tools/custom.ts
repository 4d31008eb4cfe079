/**
 * Custom tools from the harness (tools/<name>.yaml): the command runs with bash -c inside the sandbox,
 * with the input JSON in $TOOL_INPUT and each top-level scalar field `foo` in $TOOL_ARG_FOO. The harness
 * tools/ folder is copied to HARNESS_TOOLS_MOUNT once per run so commands can call their scripts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HARNESS_TOOLS_MOUNT, type CustomTool, type Harness } from '../../harness/schema';
import type { Sandbox } from '../../sandbox/types';
import { formatExec } from './format';
import { parseObjectInput } from './json-schema';
import { defineTool, type AgentTool } from './types';

export function toolEnv(input: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = { TOOL_INPUT: JSON.stringify(input) };
  for (const [k, v] of Object.entries(input)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      env[`TOOL_ARG_${k.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`] = String(v);
    }
  }
  return env;
}

export function customTool(t: CustomTool, maxOutputBytes: number): AgentTool {
  return defineTool<Record<string, unknown>>({
    name: t.name,
    description: t.description,
    inputSchema: t.inputSchema,
    parse: (input) => parseObjectInput(t.inputSchema, input),
    async run(input, s) {
      const timeoutSec = s.remainingSec(t.timeoutSec);
      const r = await s.sandbox.exec(t.command, { timeoutSec, maxOutputBytes, env: toolEnv(input) });
      return { content: formatExec(r, timeoutSec), isError: r.timedOut || r.exitCode !== 0 };
    },
  });
}

/**
 * Copies the harness tools/ folder into the sandbox. Uses the folder on disk when present (keeps file
 * modes); otherwise writes the text files recorded in `harness.files`, executable.
 */
export async function installCustomTools(sandbox: Sandbox, harness: Harness): Promise<void> {
  const hostDir = path.join(harness.dir, 'tools');
  if (existsSync(hostDir)) return sandbox.putDir(hostDir, HARNESS_TOOLS_MOUNT);
  for (const [rel, text] of Object.entries(harness.files)) {
    if (rel.startsWith('tools/'))
      await sandbox.putFile(path.posix.join(HARNESS_TOOLS_MOUNT, rel.slice('tools/'.length)), text, 0o755);
  }
}
