/**
 * Which GGUF file a `local` / `local/<name>` model reference means. The rule, in order:
 *   1. `local` (the default) with env AUTOAGENT_LOCAL_MODEL_PATH set → that file;
 *   2. `local/<path>` where <path> is a file path (contains a slash or ends in .gguf) → that file;
 *   3. `local` → the catalogue's default model; `local/<name>` → the catalogue model of that name,
 *      installed by `bash scripts/setup.sh` into the models directory (env AUTOAGENT_MODELS_DIR, else
 *      $XDG_CACHE_HOME/autoagent/models, else ~/.cache/autoagent/models).
 * The catalogue (models.json) is shared with scripts/install-local-models.py, so both agree on names and files.
 * A missing file is a configuration fault (LlmModelNotFoundError): it names what to run, and a campaign
 * pauses on it instead of scoring trials.
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LlmModelNotFoundError } from '../errors';
import catalogueJson from './models.json';

const CatalogueSchema = z.object({
  default: z.string(),
  models: z.record(
    z.object({
      description: z.string(),
      file: z.string(),
      bytes: z.number().int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      parts: z.object({
        package: z.string(),
        version: z.string(),
        count: z.number().int().positive(),
        member: z.string(),
      }),
    }),
  ),
});
export type LocalCatalogue = z.infer<typeof CatalogueSchema>;
export const LOCAL_CATALOGUE: LocalCatalogue = CatalogueSchema.parse(catalogueJson);

const SETUP_HINT = 'run `bash scripts/setup.sh` to install it';

function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['AUTOAGENT_MODELS_DIR']) return env['AUTOAGENT_MODELS_DIR'];
  const cache = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(cache, 'autoagent', 'models');
}

export interface ResolvedLocalModel {
  /** Catalogue name, or the file's base name for a model given by path. */
  name: string;
  file: string;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** `model` is the part after `local/` ('default' for bare `local`). Throws LlmModelNotFoundError when absent. */
export function resolveLocalModel(model: string, env: NodeJS.ProcessEnv = process.env): ResolvedLocalModel {
  const override = env['AUTOAGENT_LOCAL_MODEL_PATH'];
  if (model === 'default' && override) {
    if (!isFile(override))
      throw new LlmModelNotFoundError(
        `AUTOAGENT_LOCAL_MODEL_PATH=${override} is not a file (a GGUF model file is expected)`,
      );
    return { name: path.basename(override, '.gguf'), file: path.resolve(override) };
  }
  if (model.includes('/') || model.endsWith('.gguf')) {
    if (!isFile(model))
      throw new LlmModelNotFoundError(`local model file ${model} does not exist (model "local/${model}")`);
    return { name: path.basename(model, '.gguf'), file: path.resolve(model) };
  }
  const name = model === 'default' ? LOCAL_CATALOGUE.default : model;
  const spec = LOCAL_CATALOGUE.models[name];
  if (!spec) {
    const known = Object.keys(LOCAL_CATALOGUE.models).join(', ');
    throw new LlmModelNotFoundError(
      `unknown local model "${model}": use local (= ${LOCAL_CATALOGUE.default}), local/<name> with a name of ${known}, or local/<path to a .gguf file>`,
    );
  }
  const file = path.join(modelsDir(env), spec.file);
  if (!isFile(file)) {
    const how =
      name === LOCAL_CATALOGUE.default
        ? SETUP_HINT
        : `run \`python3 scripts/install-local-models.py ${name}\` to install it`;
    throw new LlmModelNotFoundError(
      `the local model ${name} is not installed (expected ${file}): ${how}, or set AUTOAGENT_LOCAL_MODEL_PATH to a GGUF file`,
    );
  }
  return { name, file };
}

/** The problem with a local model reference, or null when its weights are in place (for pre-flight checks). */
export function localModelProblem(model: string, env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    resolveLocalModel(model, env);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
