/** The fake Messages API: a scripted local server for tests and manual runs (see server.ts, cli.ts). */
export { apiKeyOf, startFakeAnthropic, type FakeAnthropic } from './server';
export { text, toolUse, thinking, ScriptFileSchema, ScriptFileError, parseScriptFile, loadScriptFile, turnOf, type ScriptFile, type FakeReply, type FakeScript, type RecordedRequest, type MessageReply, type ErrorReply, type RawReply } from './script';
export { demoScript, demoTurn, loadDemoBenchmark, DemoBenchmarkError, META_MARKER, type DemoBenchmark } from './demo';
export { FAULTS, failFirst, failUntil, faultSwitch, slow, type FaultInjector, type ScriptFn } from './faults';
