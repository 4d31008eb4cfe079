/**
 * A campaign's explicit `taskModel` (campaign.yaml) written into a harness: harness.yaml's `model` is set to
 * it, the rest of the file (comments, order) kept, and the harness rebuilt — so its id covers the model it
 * really runs with. Unchanged (same object) when the harness already names that model.
 */
import YAML from 'yaml';
import { HARNESS_FILE } from './config';
import { buildHarness } from './load';
import type { Harness } from './schema';

export function withModel(harness: Harness, model: string): Harness {
  return harness.config.model === model ? harness : buildHarness(harness.dir, filesWithModel(harness.files, model));
}

/** The same files with harness.yaml's `model` set (a missing or unparsable harness.yaml is left to validation). */
export function filesWithModel(files: Record<string, string>, model: string): Record<string, string> {
  const text = files[HARNESS_FILE];
  if (text === undefined) return files;
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0 || !YAML.isMap(doc.contents)) return files;
  if (doc.get('model') === model) return files;
  // The one line, when `model: …` is a line of its own: re-printing the whole document would restyle the rest.
  const line = /^model:[ \t]*[^\s#][^\n]*$/m;
  if (line.test(text))
    return { ...files, [HARNESS_FILE]: text.replace(line, `model: ${YAML.stringify(model).trim()}`) };
  doc.set('model', model);
  return { ...files, [HARNESS_FILE]: doc.toString() };
}
