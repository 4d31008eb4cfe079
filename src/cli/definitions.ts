/**
 * Every command as `--help` shows it — name, arguments, options, description — without its implementation:
 * an action loads commands/<name>.ts only when that command runs, so `autoagent --help` loads commander
 * alone and each command loads only what it uses (`eval` never loads Temporal).
 * test/unit/cli-module-graph.test.ts checks the graph. Import nothing heavier than commander here.
 */
import { Command, Option } from 'commander';

/** An action whose implementation is loaded when the command runs. */
function lazy<A extends unknown[]>(load: () => Promise<(...args: A) => unknown>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    await (
      await load()
    )(...args);
  };
}

const control = () => import('./commands/control');
const CAMPAIGN_ARG = 'campaign.yaml, campaign folder, or (with TEMPORAL_ADDRESS) campaign name';

function evalCommand(): Command {
  return new Command('eval')
    .description('run an agent on a Harbor task or a benchmark folder of tasks, in Docker sandboxes')
    .argument('<task-or-benchmark>', 'a task folder (has task.toml) or a folder of task folders')
    .option('--harness <dir>', 'harness folder (default: benchmarks/harnesses/baseline)')
    .option('--agent <kind>', 'harness | oracle (runs solution/solve.sh) | noop', 'harness')
    .option('--model <name>', "override the harness's model")
    .option('--concurrency <n>', 'trials in parallel', '2')
    .option('--repeats <r>', 'repeats per task', '1')
    .option('--out <dir>', 'where trial records and trajectories go (default: runs/eval-<time>)')
    .option('--metric <name>', "the reward.json metric that is the reward (default: reward, or a file's only metric)")
    .option('--json', 'JSON lines: one per trial, then a summary')
    .action(lazy(async () => (await import('./commands/eval')).evalAction));
}

function exportCommand(): Command {
  return new Command('export')
    .description(
      "write a campaign's best harness (or --candidate ID) as a harness folder with CARD.md, or --trials as a Harbor job folder",
    )
    .argument('<campaign>', 'campaign.yaml or campaign folder (.autoagent/<name>)')
    .requiredOption('--out <dir>', 'a new or empty folder to write')
    .option('--candidate <id>', 'export this candidate instead of the best one')
    .option('--trials', "export the campaign's trials in Harbor's job layout instead of a harness")
    .action(lazy(async () => (await import('./commands/export')).exportAction));
}

function reportCommand(): Command {
  return new Command('report')
    .description('write a self-contained HTML report of a campaign (scores, lineage, heatmap, diffs, trajectories)')
    .argument('<campaign-dir>', 'the campaign folder (holds store.sqlite)')
    .option('--out <file>', 'output file (default: <campaign-dir>/report.html)')
    .option('--campaign <name>', 'which campaign, if the store holds several')
    .option('--max-trajectory-mb <n>', "cap on one trial's gzipped trajectory inside the file", '2')
    .action(lazy(async () => (await import('./commands/report')).reportAction));
}

function uiCommand(): Command {
  return new Command('ui')
    .description('serve a live, read-only view of a campaign on 127.0.0.1')
    .argument('<campaign-dir>', 'the campaign folder (holds store.sqlite)')
    .option('--port <n>', 'port (0 = any free port)', '8765')
    .option('--campaign <name>', 'which campaign, if the store holds several')
    .option(
      '--temporal <address>',
      'Temporal server to query for the workflow status (default: $TEMPORAL_ADDRESS if set)',
    )
    .action(lazy(async () => (await import('./commands/ui')).uiAction));
}

function runCommand(): Command {
  return new Command('run')
    .description('start or resume a campaign (embedded Temporal dev server unless TEMPORAL_ADDRESS is set)')
    .argument('<campaign.yaml>', 'campaign config')
    .option('--restart', 'start a new run of a campaign that already completed')
    .option('--detach', 'with TEMPORAL_ADDRESS: start it and return without following')
    .option('--json', 'JSON lines: status changes, then the summary')
    .option('--trial-slots <n>', 'trials at once in the embedded worker (default: campaign.yaml concurrency)')
    .addOption(new Option('--concurrency <n>', 'old name of --trial-slots').hideHelp())
    .option('--ui-port <port>', 'embedded mode: also serve the Temporal UI on this port')
    .action(lazy(async () => (await import('./commands/run')).runAction));
}

function workerCommand(): Command {
  return new Command('worker')
    .description(
      'run AutoAgent workers against the configured Temporal server (TEMPORAL_ADDRESS / TEMPORAL_PROFILE / temporal.toml; default 127.0.0.1:7233)',
    )
    .option('--roles <list>', 'comma-separated: workflows, trials, meta', 'workflows,trials,meta')
    .option(
      '--trial-slots <n>',
      'trials at once on this machine, whatever campaign they belong to (env AUTOAGENT_TRIAL_SLOTS; default 2)',
    )
    .addOption(new Option('--concurrency <n>', 'old name of --trial-slots').hideHelp())
    .option('--meta-concurrency <n>', 'proposals at once', '4')
    .action(lazy(async () => (await import('./commands/worker')).workerAction));
}

/** Steering a campaign from any terminal (commands/control.ts). */
function controlCommands(): Command[] {
  const simple = (name: string, description: string, act: 'pause' | 'resume' | 'stop' | 'retryGeneration'): Command =>
    new Command(name)
      .description(description)
      .argument('<campaign>', CAMPAIGN_ARG)
      .action(lazy(async () => (await control()).simpleActions[act]));
  return [
    new Command('status')
      .description('show a campaign: generation, phase, best train/holdout score, spend, trials')
      .argument('<campaign>', CAMPAIGN_ARG)
      .option('--json', 'print the status as JSON')
      .action(lazy(async () => (await control()).statusAction)),
    simple('pause', 'pause after in-flight work (no new trials or proposals start)', 'pause'),
    simple('resume', 'resume a paused campaign', 'resume'),
    simple('stop', 'finish the current generation, evaluate on holdout, and end', 'stop'),
    new Command('budget')
      .description("set a running campaign's budget (any of the limits; others are kept)")
      .argument('<campaign>', CAMPAIGN_ARG)
      .option('--usd <n>', 'dollars')
      .option('--trials <n>', 'trials')
      .option('--tokens <n>', 'tokens')
      .option('--wall-time-minutes <n>', 'wall time')
      .action(lazy(async () => (await control()).budgetAction)),
    new Command('hint')
      .description('add a hint the meta-agent sees in its next proposals')
      .argument('<campaign>', CAMPAIGN_ARG)
      .argument('<text...>', 'the hint')
      .action(lazy(async () => (await control()).hintAction)),
    simple('retry-generation', 'rerun a failed generation (stored trials are reused)', 'retryGeneration'),
    new Command('list')
      .description('list campaigns: on TEMPORAL_ADDRESS, or under a folder (default: here)')
      .argument('[dir]', 'folder to search for .autoagent/<campaign> folders', '.')
      .option('--json', 'JSON lines')
      .action(lazy(async () => (await control()).listAction)),
  ];
}

/** The commands in the order `autoagent --help` lists them. */
export function commands(): Command[] {
  return [
    evalCommand(),
    exportCommand(),
    reportCommand(),
    uiCommand(),
    runCommand(),
    workerCommand(),
    ...controlCommands(),
  ];
}
