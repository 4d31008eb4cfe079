/**
 * The production TrialRunner: loads the task from its folder (cached per process) and runs the real trial
 * pipeline (src/trial) with the harness agent in a Docker sandbox. A task whose files changed since the
 * campaign was prepared is refused: its trial ids (keyed by the task hash) would no longer mean the same.
 */
import { loadTask } from '../tasks/load';
import type { Task } from '../tasks/types';
import { runTrial } from '../trial/run-trial';
import type { SandboxProvider } from '../sandbox/provider';
import { InvalidCampaignPlanError } from './errors';
import type { TrialRunner } from './ports';

export function realTrialRunner(opts: { provider?: SandboxProvider } = {}): TrialRunner {
  const tasks = new Map<string, Promise<Task>>();
  return async (req) => {
    let p = tasks.get(req.task.dir);
    if (!p) tasks.set(req.task.dir, (p = loadTask(req.task.dir)));
    const task = await p.catch((err: unknown) => {
      tasks.delete(req.task.dir);
      throw err;
    });
    if (task.hash !== req.task.hash) {
      throw new InvalidCampaignPlanError('task files changed since the campaign started', task.paths.taskToml, 'hash');
    }
    return runTrial({
      task,
      agent: 'harness',
      harness: req.harness,
      repeat: req.repeat,
      outDir: req.outDir,
      trialId: req.trialId,
      provider: opts.provider,
      signal: req.signal,
      heartbeat: req.heartbeat,
    });
  };
}
