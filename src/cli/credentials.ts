/**
 * The credential check `run` and `eval` do before anything starts: every model the plan will call (the
 * harness's model and its sub-agents', the campaign's taskModel and metaModel) must have what its
 * provider needs, or the command exits 2 naming the variable, and where that model was named — so a
 * missing key never turns into a campaign of trials scored 0 with an auth error.
 */
import path from 'node:path';
import type { Harness } from '../harness/schema';
import { missingCredential, ModelRefError } from '../llm/provider';

/** A model and where the user named it (`<dir>/harness.yaml: model`, `campaign.yaml: metaModel`). */
export interface ModelUse {
  model: string;
  where: string;
}

class MissingCredentialError extends Error {
  override readonly name = 'MissingCredentialError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** The models a harness calls: its own (or the override) and each sub-agent's own model. */
export function harnessModels(harness: Harness, override?: string): ModelUse[] {
  const file = path.join(harness.dir, 'harness.yaml');
  const uses: ModelUse[] = [
    { model: override ?? harness.config.model, where: override ? '--model' : `${file}: model` },
  ];
  for (const a of harness.agents) {
    if (a.model) uses.push({ model: a.model, where: `${path.join(harness.dir, 'agents', `${a.name}.md`)}: model` });
  }
  return uses;
}

/**
 * Throws MissingCredentialError for the first model whose credential is missing (an unknown provider is a
 * ModelRefError naming where it was written). `hint` says what to do instead (e.g. the local-model example).
 */
export function assertCredentials(
  uses: readonly ModelUse[],
  opts: { env?: NodeJS.ProcessEnv; hint?: string } = {},
): void {
  for (const use of uses) {
    let problem;
    try {
      problem = missingCredential(use.model, opts.env ?? process.env);
    } catch (err) {
      if (err instanceof ModelRefError) throw new ModelRefError(`${use.where}: ${err.message}`);
      throw err;
    }
    if (problem) {
      // The local-model hint is no help when the local model itself is what is missing.
      const hint = opts.hint && problem.variable !== 'AUTOAGENT_LOCAL_MODEL_PATH' ? `\n${opts.hint}` : '';
      throw new MissingCredentialError(problem.variable, `${problem.message}\n  (model named in ${use.where})${hint}`);
    }
  }
}

/** What `run` suggests when a key is missing: the same kind of campaign on the embedded local model. */
export const LOCAL_CAMPAIGN_HINT =
  'No key? Run the same example on the embedded local model (no key, no server needed):\n  npx autoagent run examples/local-campaign/campaign.yaml';

/** What `eval` suggests when a key is missing. */
export const LOCAL_EVAL_HINT = 'No key? Evaluate with the embedded local model instead: add --model local';
