/** Reads sub-agents from agents/<name>.md: YAML front-matter (description, model?, tools?, maxTurns?) + prompt body. */
import { HarnessError } from './errors';
import { AgentFrontMatterSchema, BUILTIN_TOOLS, FINISH_TOOL, NAME_PATTERN, type SubAgent } from './schema';
import { unknownKeys } from './unknown-keys';
import { assertMapping, parseYamlFile } from './yaml-file';
import { harnessErrorFromZod } from './zod-error';

const AGENT_FILE = /^agents\/([^/]+)\.md$/;
const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** `customTools` are the harness's custom tool names; `defaultTools` apply when front-matter omits `tools`. */
export function parseAgents(
  files: Record<string, string>,
  opts: { customTools: string[]; defaultTools: string[] },
  warnings: string[],
): SubAgent[] {
  const agents: SubAgent[] = [];
  for (const file of Object.keys(files).sort()) {
    const m = AGENT_FILE.exec(file);
    if (!m) continue;
    const name = m[1] as string;
    if (!NAME_PATTERN.test(name))
      throw new HarnessError(file, 'name', `sub-agent name "${name}" must match ${NAME_PATTERN.source}`);
    if (opts.customTools.includes(name))
      throw new HarnessError(file, 'name', `clashes with custom tool tools/${name}.yaml`);
    agents.push(parseAgent(file, name, files[file] as string, opts, warnings));
  }
  return agents;
}

function parseAgent(
  file: string,
  name: string,
  text: string,
  opts: { customTools: string[]; defaultTools: string[] },
  warnings: string[],
): SubAgent {
  const fm = FRONT_MATTER.exec(text);
  if (!fm) throw new HarnessError(file, 'front-matter', 'missing: the file must start with a --- YAML block ---');
  const raw = assertMapping(file, parseYamlFile(file, fm[1] as string, 'front-matter'), 'front-matter');
  const parsed = AgentFrontMatterSchema.safeParse(raw);
  if (!parsed.success) throw harnessErrorFromZod(file, parsed.error);
  warnings.push(...unknownKeys(AgentFrontMatterSchema, raw).map((w) => `${file}: ${w}`));
  const prompt = text.slice(fm[0].length).trim();
  if (!prompt) throw new HarnessError(file, 'body', 'empty: the body after the front-matter is the sub-agent prompt');
  const known = [...BUILTIN_TOOLS, ...opts.customTools];
  const requested = parsed.data.tools ?? opts.defaultTools;
  requested.forEach((t, i) => {
    if (t !== FINISH_TOOL && !known.includes(t)) {
      throw new HarnessError(file, `tools.${i}`, `unknown tool "${t}" (known: ${known.join(', ')})`);
    }
  });
  const tools = [...new Set(requested.filter((t) => t !== FINISH_TOOL))];
  const { description, model, maxTurns } = parsed.data;
  return { name, description, model, tools, maxTurns, prompt };
}
