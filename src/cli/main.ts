#!/usr/bin/env node
/** The `autoagent` CLI: this file only registers commands; each lives in commands/<name>.ts. */
import { Command } from 'commander';
import { evalCommand } from './commands/eval';
import { exportCommand } from './commands/export';
import { reportCommand } from './commands/report';
import { uiCommand } from './commands/ui';
import { runCommand } from './commands/run';
import { workerCommand } from './commands/worker';
import { controlCommands } from './commands/control';
import { handleCliError } from './errors';

async function run(): Promise<void> {
  const program = new Command('autoagent')
    .description('AutoAgent: a meta-agent that engineers task-agent harnesses, on durable Temporal campaigns')
    .version('0.1.0');
  program.addCommand(evalCommand());
  program.addCommand(exportCommand());
  program.addCommand(reportCommand());
  program.addCommand(uiCommand());
  program.addCommand(runCommand());
  program.addCommand(workerCommand());
  for (const c of controlCommands()) program.addCommand(c);
  await program.parseAsync(process.argv);
}

run().catch(handleCliError);
