/**
 * Test entry for the fake Messages API. The implementation lives in src/llm/fake-server/ so that it is
 * compiled into dist/ and its CLI (dist/src/llm/fake-server/cli.js) can run without ts-node.
 */
export { apiKeyOf, startFakeAnthropic, type FakeAnthropic } from '../../../src/llm/fake-server/server';
export {
  text,
  toolUse,
  thinking,
  ScriptFileSchema,
  ScriptFileError,
  parseScriptFile,
  loadScriptFile,
  turnOf,
  type ScriptFile,
  type FakeReply,
  type FakeScript,
  type RecordedRequest,
  type MessageReply,
  type ErrorReply,
  type RawReply,
} from '../../../src/llm/fake-server/script';
export {
  demoScript,
  demoTurn,
  loadDemoBenchmark,
  DemoBenchmarkError,
  META_MARKER,
  type DemoBenchmark,
} from '../../../src/llm/fake-server/demo';
export {
  FAULTS,
  failFirst,
  failUntil,
  faultSwitch,
  slow,
  type FaultInjector,
  type ScriptFn,
} from '../../../src/llm/fake-server/faults';
