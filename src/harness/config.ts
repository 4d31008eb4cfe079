/** Reads harness.yaml: zod-validated with defaults; unknown keys are dropped and reported. */
import { HarnessError } from './errors';
import { HarnessConfigSchema, type HarnessConfig } from './schema';
import { unknownKeys } from './unknown-keys';
import { assertMapping, parseYamlFile } from './yaml-file';
import { harnessErrorFromZod } from './zod-error';

export const HARNESS_FILE = 'harness.yaml';

/**
 * Keys harness.yaml once had, with why they are gone. `temperature`: the Messages API of the SDK we speak
 * takes no sampling parameters (and with thinking on, the API allows none but 1 anyway), so the setting never
 * reached the model — every meta-agent edit of it measured noise. Still accepted, with this warning.
 */
const REMOVED_KEYS: Record<string, string> = {
  temperature:
    'temperature: ignored — no sampling parameter reaches the model (the Messages API this SDK speaks has none); remove it',
};

export function parseHarnessConfig(files: Record<string, string>): { config: HarnessConfig; warnings: string[] } {
  const text = files[HARNESS_FILE];
  if (text === undefined) throw new HarnessError(HARNESS_FILE, '', 'file not found (every harness needs one)');
  const raw = assertMapping(HARNESS_FILE, parseYamlFile(HARNESS_FILE, text));
  const parsed = HarnessConfigSchema.safeParse(raw);
  if (!parsed.success) throw harnessErrorFromZod(HARNESS_FILE, parsed.error);
  const warnings = unknownKeys(HarnessConfigSchema, raw).map(
    (w) => `${HARNESS_FILE}: ${REMOVED_KEYS[w.split(':')[0] as string] ?? w}`,
  );
  return { config: parsed.data, warnings };
}
