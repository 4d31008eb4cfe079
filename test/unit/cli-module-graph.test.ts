/**
 * Each command loads only what it uses: `autoagent --help` and `<cmd> --help` load commander and the command
 * definitions alone; the eval path (its command module, and what it loads for a harness agent before any
 * model call) never loads Temporal or a model SDK. Checked on the built CLI, in a fresh node process, by
 * the modules in require.cache — never by timing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CLI, ROOT, ensureBuilt } from '../e2e/support/cli';

const DIST = path.join(ROOT, 'dist/src');
const HEAVY = /\/node_modules\/(@temporalio\/|@anthropic-ai\/sdk\/|openai\/|node-llama-cpp\/)/;

/** The files a fresh node process has loaded once `script` ran (or exited: `--help` calls process.exit). */
function loadedBy(script: string): string[] {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `
    process.on('exit', () => require('fs').writeSync(2, '\\nMODULES ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));
    ${script}`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const line = r.stderr.split('\n').find((l) => l.startsWith('MODULES '));
  if (r.status !== 0 || !line) throw new Error(`node exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return JSON.parse(line.slice('MODULES '.length)) as string[];
}

const packages = (files: string[]): string[] =>
  [
    ...new Set(files.map((f) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => !!p)),
  ].sort();
const ours = (files: string[]): string[] =>
  files
    .filter((f) => f.startsWith(DIST))
    .map((f) => path.relative(DIST, f))
    .sort();
const runCli = (...args: string[]): string =>
  `process.argv = [process.execPath, ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}]; require(${JSON.stringify(CLI)});`;

beforeAll(async () => {
  await ensureBuilt();
});

describe('the CLI module graph', () => {
  it.each([[['--help']], [['eval', '--help']], [['run', '--help']], [['status', '--help']]])(
    'autoagent %j loads commander and the definitions only',
    (args) => {
      const files = loadedBy(runCli(...args));
      expect(packages(files)).toEqual(['commander']);
      expect(ours(files)).toEqual(['cli/definitions.js', 'cli/main.js']);
    },
  );

  it('the eval command loads no Temporal package and no model SDK', () => {
    const files = loadedBy(`require(${JSON.stringify(path.join(DIST, 'cli/commands/eval.js'))});`);
    expect(ours(files)).toContain('trial/run-trial.js');
    expect(files.filter((f) => HEAVY.test(f))).toEqual([]);
    // An oracle or no-op eval does not load the harness either (loaded in the action, for --agent harness).
    expect(ours(files)).not.toContain('harness/load.js');
  });

  it('nor does what eval loads for a harness agent, until the agent makes a model call', () => {
    const files = loadedBy(
      ['cli/commands/eval.js', 'harness/load.js', 'agent/harness-agent.js', 'llm/provider.js']
        .map((f) => `require(${JSON.stringify(path.join(DIST, f))});`)
        .join(' '),
    );
    expect(ours(files)).toContain('agent/harness-agent.js');
    expect(files.filter((f) => HEAVY.test(f))).toEqual([]);
  });
});
