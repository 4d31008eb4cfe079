#!/usr/bin/env node
/**
 * The `autoagent` CLI: this file only registers commands (definitions.ts); each lives in commands/<name>.ts,
 * loaded when it runs, so `--help` and every command start without loading the others.
 */
import { Command } from 'commander';
import { commands } from './definitions';

async function run(): Promise<void> {
  const program = new Command('autoagent')
    .description('AutoAgent: a meta-agent that engineers task-agent harnesses, on durable Temporal campaigns')
    .version('0.1.0');
  for (const c of commands()) program.addCommand(c);
  await program.parseAsync(process.argv);
}

run().catch(async (err: unknown) => (await import('./errors')).handleCliError(err));
