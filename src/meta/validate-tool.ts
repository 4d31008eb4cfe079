/**
 * Checking the harness the meta-agent left in its sandbox, exactly as the runtime will load it, and the
 * `validate_harness` host tool that lets the meta-agent run that check itself before it finishes.
 */
import type { HostTool } from '../agent/tools/host';
import { diffFiles } from '../harness/diff';
import { buildHarness } from '../harness/load';
import type { Harness } from '../harness/schema';
import type { Sandbox } from '../sandbox/types';
import { readSandboxHarness } from './sandbox-harness';
import { WORKSPACE_HARNESS } from './paths';

type HarnessCheck = { ok: true; harness: Harness; diff: string; changed: boolean } | { ok: false; error: string };

/** Reads /workspace/harness back and validates it; `diff` is against the parent's files. */
async function checkSandboxHarness(
  sandbox: Sandbox,
  parent: { id: string; files: Record<string, string> },
): Promise<HarnessCheck> {
  try {
    const files = await readSandboxHarness(sandbox, WORKSPACE_HARNESS);
    const harness = buildHarness(WORKSPACE_HARNESS, files);
    return { ok: true, harness, diff: diffFiles(parent.files, files), changed: harness.id !== parent.id };
  } catch (err) {
    if (err instanceof Error && err.name === 'HarnessError') return { ok: false, error: err.message };
    throw err; // sandbox failures are systemic, not a verdict on the harness
  }
}

const MAX_DIFF_SHOWN = 12_000;

export function validateHarnessTool(sandbox: Sandbox, parent: { id: string; files: Record<string, string> }): HostTool {
  return {
    name: 'validate_harness',
    description:
      'Validate /workspace/harness exactly as the runtime will load it. Returns the new harness id, any warnings, and the diff ' +
      'against the parent harness; or the validation error, naming the file and field to fix. Takes no input.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    async run() {
      const check = await checkSandboxHarness(sandbox, parent);
      if (!check.ok) return { content: `INVALID: ${check.error}`, isError: true };
      const { harness, diff } = check;
      const lines = [
        check.changed
          ? `VALID: harness ${harness.id} (parent ${parent.id}).`
          : `VALID but UNCHANGED: identical to the parent ${parent.id}; an unchanged harness is rejected.`,
        harness.warnings.length ? `Warnings:\n${harness.warnings.map((w) => `- ${w}`).join('\n')}` : 'No warnings.',
      ];
      if (check.changed)
        lines.push(
          `Diff against the parent:\n${diff.length > MAX_DIFF_SHOWN ? `${diff.slice(0, MAX_DIFF_SHOWN)}\n[... diff cut ...]` : diff}`,
        );
      return { content: lines.join('\n'), isError: !check.changed };
    },
  };
}
