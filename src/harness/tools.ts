/**
 * Reads custom tools from tools/<name>.yaml. Scripts the command references under the in-sandbox
 * tools mount must exist in tools/, so a tool cannot point at a file the meta-agent forgot to write, and
 * input_schema must be a valid JSON Schema (checked by ajv against its meta-schema).
 */
import { HarnessError } from './errors';
import {
  BUILTIN_TOOLS,
  FINISH_TOOL,
  HARNESS_TOOLS_MOUNT,
  NAME_PATTERN,
  SUBAGENT_TOOL_PREFIX,
  ToolFileSchema,
  type CustomTool,
} from './schema';
import { schemaProblem } from '../util/json-schema';
import { unknownKeys } from './unknown-keys';
import { assertMapping, parseYamlFile } from './yaml-file';
import { harnessErrorFromZod } from './zod-error';

const TOOL_FILE = /^tools\/([^/]+)\.ya?ml$/;
const SCRIPT_REF = new RegExp(`${HARNESS_TOOLS_MOUNT.replace(/\//g, '\\/')}\\/([A-Za-z0-9_./-]+)`, 'g');
const RESERVED: readonly string[] = [...BUILTIN_TOOLS, FINISH_TOOL];

export function parseTools(files: Record<string, string>, warnings: string[]): CustomTool[] {
  const tools: CustomTool[] = [];
  for (const file of Object.keys(files).sort()) {
    const m = TOOL_FILE.exec(file);
    if (!m) continue;
    const name = m[1] as string;
    checkToolName(file, name);
    if (tools.some((t) => t.name === name))
      throw new HarnessError(file, 'name', `duplicate tool "${name}" (.yaml and .yml)`);
    const raw = assertMapping(file, parseYamlFile(file, files[file] as string));
    const parsed = ToolFileSchema.safeParse(raw);
    if (!parsed.success) throw harnessErrorFromZod(file, parsed.error);
    warnings.push(...unknownKeys(ToolFileSchema, raw).map((w) => `${file}: ${w}`));
    checkScripts(file, parsed.data.command, files);
    checkInputSchema(file, parsed.data.input_schema);
    const { description, input_schema, command, timeout_sec } = parsed.data;
    tools.push({ name, description, inputSchema: input_schema, command, timeoutSec: timeout_sec });
  }
  return tools;
}

function checkToolName(file: string, name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new HarnessError(file, 'name', `tool name "${name}" must match ${NAME_PATTERN.source}`);
  }
  if (RESERVED.includes(name)) throw new HarnessError(file, 'name', `"${name}" is a built-in tool name`);
  if (name.startsWith(SUBAGENT_TOOL_PREFIX)) {
    throw new HarnessError(file, 'name', `names starting with "${SUBAGENT_TOOL_PREFIX}" are reserved for sub-agents`);
  }
}

/** The schema goes to the model API as is: one the API would refuse must fail here, naming the field. */
function checkInputSchema(file: string, schema: Record<string, unknown>): void {
  const problem = schemaProblem(schema);
  if (problem) throw new HarnessError(file, `input_schema${problem.field}`, problem.message);
}

function checkScripts(file: string, command: string, files: Record<string, string>): void {
  for (const m of command.matchAll(SCRIPT_REF)) {
    const rel = `tools/${m[1] as string}`;
    if (files[rel] === undefined) {
      throw new HarnessError(file, 'command', `references ${m[0]} but ${rel} does not exist in the harness`);
    }
  }
}
