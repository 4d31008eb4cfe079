/** Search: pure, deterministic strategies for campaigns (safe to import from workflow code: no I/O). */
export * from './types';
export * from './rng';
export * from './objective';
export * from './scores';
export * from './frontier';
export * from './state';
export * from './selection';
export * from './paired-test';
export * from './stratified-test';
export * from './acceptance';
export * from './ledger';
export * from './stoppers';
export * from './merge';
export * from './stepping-stones';
