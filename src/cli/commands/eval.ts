/**
 * `autoagent eval <task-or-benchmark>`: runs trials (tasks × repeats) in parallel in-process with the same
 * trial function the Temporal activity uses. Human output: a progress bar, a line per trial, a summary.
 * `--json`: one JSON line per trial ({type:'trial', task, reward, error, ...}) then one summary line.
 * `--out DIR` is a Harbor job folder (config.json, result.json, one Harbor trial folder per trial).
 * Before any trial: tasks and harness validated (warnings printed), credentials checked, sandboxes of dead
 * owners (a kill -9'd eval, run or worker) removed. Exit codes: 0 done; 1 every trial errored (or a
 * systemic failure); 2 bad input or a missing credential (nothing ran). A closed stdout (`| head -1`)
 * cancels the remaining trials and exits quietly.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { loadBenchmark } from '../../tasks/load';
import { HarnessError } from '../../harness/errors';
import { runTrial } from '../../trial/run-trial';
import type { TrialResult } from '../../trial/types';
import { AgentKind } from '../../trial/types';
import type { Harness } from '../../harness/schema';
import { DockerSandboxProvider } from '../../sandbox/provider';
import { mapPool } from '../../util/pool';
import { assertCredentials, harnessModels, LOCAL_EVAL_HINT } from '../credentials';
import { packageRoot, parseOptions } from '../options';
import { createReporter } from '../eval-report';
import { onStdoutClosed } from '../stdout';
import { systemicLlmError } from '../../llm/errors';
import { faultSummaryOf } from '../../llm/provider';
import { jobContextFor, writeHarborJobConfig, writeHarborJobResult } from '../../harbor/job-files';

const EvalOptions = z.object({
  harness: z.string().optional(),
  agent: AgentKind.default('harness'),
  model: z.string().min(1).optional(),
  concurrency: z.coerce.number().int().positive().max(64).default(2),
  repeats: z.coerce.number().int().positive().max(100).default(1),
  out: z.string().optional(),
  json: z.boolean().default(false),
  metric: z.string().min(1).optional(),
});

/** `eval` (its arguments, options and help: cli/definitions.ts). */
export async function evalAction(target: string, raw: unknown): Promise<void> {
  const opts = parseOptions(EvalOptions, raw);
  const tasks = await loadBenchmark(path.resolve(target));
  const harness = opts.agent === 'harness' ? await loadEvalHarness(opts.harness, opts.model) : undefined;
  if (harness) {
    for (const w of harness.warnings) process.stderr.write(`autoagent: warning: ${harness.dir}/${w}\n`);
    assertCredentials(harnessModels(harness, opts.model), { hint: LOCAL_EVAL_HINT });
  }
  const outDir = path.resolve(opts.out ?? path.join('runs', `eval-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  const jobs = tasks.flatMap((task) => Array.from({ length: opts.repeats }, (_, repeat) => ({ task, repeat })));
  const provider = new DockerSandboxProvider();
  const reaped = await provider.reapOrphans();
  if (reaped > 0) process.stderr.write(`removed ${reaped} sandbox(es) left by a killed autoagent process\n`);
  // OUT is a Harbor job folder: its config.json now, result.json at the end, a Harbor trial folder per trial.
  const job = jobContextFor(outDir, {
    taskPaths: tasks.map((t) => t.dir),
    agents: [{ kind: opts.agent, model: harness?.config.model ?? null }],
    repeats: opts.repeats,
    concurrency: opts.concurrency,
    startedAt: new Date().toISOString(),
  });
  await writeHarborJobConfig(outDir, job);
  const reporter = createReporter({ json: opts.json, total: jobs.length, outDir, metric: opts.metric ?? 'reward' });
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  // `eval --json | head -1`: the reader is gone; stop starting trials, clean up, exit without a stack trace.
  const stdout = onStdoutClosed(() => abort.abort());
  const started = Date.now();
  try {
    const results = await mapPool(
      jobs,
      opts.concurrency,
      async ({ task, repeat }) => {
        const result: TrialResult = await runTrial({
          task,
          agent: opts.agent,
          harness,
          repeat,
          outDir,
          signal: abort.signal,
          provider,
          ...(opts.metric ? { metric: opts.metric } : {}),
        });
        reporter.trial(result);
        return result;
      },
      abort.signal,
    );
    const done = results.filter(Boolean);
    await writeHarborJobResult(outDir, { ...job, finishedAt: new Date().toISOString() }, done, jobs.length);
    reporter.summary(done, Date.now() - started);
    if (done.length > 0 && done.every((r) => r.error !== null)) {
      process.stderr.write(
        `autoagent: every trial errored (${done.length} of ${done.length}); see the error of each above\n`,
      );
      process.exitCode = 1;
    }
  } catch (err) {
    if (stdout.closed()) return;
    // A systemic model fault ended the run: nothing was recorded for it; say which variable to fix.
    const fault = systemicLlmError(err);
    if (fault && fault.fault !== 'outage') {
      // The job's config.json was written up front: with no trial recorded, it goes too.
      const left = await readdir(outDir).catch(() => [] as string[]);
      if (left.every((f) => f === 'config.json' || f.startsWith('.')))
        await rm(path.join(outDir, 'config.json'), { force: true });
      throw new Error(`${faultSummaryOf(fault, harness?.config.model ?? 'unknown')}. Nothing was recorded for it.`);
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSigint);
    stdout.dispose();
    reporter.close();
  }
}

async function loadEvalHarness(dir: string | undefined, model: string | undefined): Promise<Harness> {
  const root = path.resolve(dir ?? path.join(packageRoot(), 'benchmarks/harnesses/baseline'));
  // Loaded here, not at the top: the oracle and no-op agents need no harness (nor its YAML and JSON Schema parsers).
  const { loadHarness } = await import('../../harness/load');
  let harness: Harness;
  try {
    harness = await loadHarness(root);
  } catch (e) {
    // HarnessError names a file relative to the harness folder; the user needs to know which folder.
    if (e instanceof HarnessError) throw new HarnessError(path.resolve(root, e.file), e.field, e.detail);
    throw e;
  }
  return model ? { ...harness, config: { ...harness.config, model } } : harness;
}
