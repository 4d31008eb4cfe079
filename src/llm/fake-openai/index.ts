/** The fake OpenAI-compatible Chat Completions server: the fake Messages API's scripts, spoken as OpenAI (server.ts). */
export { startFakeOpenAi, type FakeOpenAi } from './server';
export { validateChatRequest } from './validate';
