/** The embedded local model behind the LlmClient interface (being written: see issue 7). */
import type { LlmClient } from './client';
import { LlmError } from './errors';

export function createLocalClient(model: string): LlmClient {
  throw new LlmError(`the local provider is not built yet (model ${model})`, null, false);
}
