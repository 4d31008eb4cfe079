/** ATIF (Agent Trajectory Interchange Format) types, recorder and file I/O. */
export * from './version';
export * from './content';
export * from './tool-call';
export * from './subagent-ref';
export * from './observation';
export * from './metrics';
export * from './final-metrics';
export * from './agent';
export * from './step';
export * from './trajectory';
export * from './errors';
export * from './redact';
export * from './usage-metrics';
export * from './recorder';
export * from './read';
export * from './io';
