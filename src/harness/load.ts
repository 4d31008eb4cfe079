/**
 * loadHarness: folder -> validated Harness (throws HarnessError naming file and field);
 * validateHarness: the same, never throws (for rejecting meta-agent candidates with a reason).
 */
import { resolve } from 'node:path';
import { parseAgents } from './agents';
import { HARNESS_FILE, parseHarnessConfig } from './config';
import { HarnessError } from './errors';
import { computeHarnessId, readHarnessFiles } from './files';
import { resolveIncludes } from './includes';
import { hasInstructionPlaceholder } from './render';
import type { Harness, HarnessConfig, SubAgent } from './schema';
import { parseTools } from './tools';
import { errorText } from '../util/error-text';

export async function loadHarness(dir: string): Promise<Harness> {
  const abs = resolve(dir);
  return buildHarness(abs, await readHarnessFiles(abs));
}

/** Validates an in-memory files record (e.g. from the artifact store) as if it were a folder at `dir`. */
export function buildHarness(dir: string, files: Record<string, string>): Harness {
  const { config, warnings } = parseHarnessConfig(files);
  if (files[config.system] === undefined) {
    throw new HarnessError(HARNESS_FILE, 'system', `file not found: ${config.system}`);
  }
  const systemTemplate = resolveIncludes(files, config.system);
  if (!hasInstructionPlaceholder(systemTemplate)) {
    warnings.push(
      `${config.system}: no {{instruction}} placeholder; the instruction reaches the agent only as its first user message`,
    );
  }
  const tools = parseTools(files, warnings);
  const agents = parseAgents(files, { customTools: tools.map((t) => t.name), defaultTools: config.tools }, warnings);
  checkVerifyAgent(config, agents);
  return { dir, id: computeHarnessId(files), config, systemTemplate, tools, agents, files, warnings };
}

export async function validateHarness(
  dir: string,
): Promise<{ ok: true; harness: Harness } | { ok: false; error: string }> {
  try {
    return { ok: true, harness: await loadHarness(dir) };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

function checkVerifyAgent(config: HarnessConfig, agents: SubAgent[]): void {
  const verify = config.orchestration.verify;
  if (!verify || agents.some((a) => a.name === verify.agent)) return;
  const names = agents.map((a) => a.name).join(', ') || 'none';
  throw new HarnessError(
    HARNESS_FILE,
    'orchestration.verify.agent',
    `no sub-agent named "${verify.agent}" (agents/: ${names})`,
  );
}
