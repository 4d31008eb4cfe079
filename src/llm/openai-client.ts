/** OpenAI-compatible Chat Completions behind the LlmClient interface (being written: see issue 7). */
import type { LlmClient } from './client';
import { LlmError } from './errors';

export function createOpenAiClient(): LlmClient {
  throw new LlmError('the openai/ provider is not built yet', null, false);
}
