/**
 * One collection pass, in Harbor's order: the `main` collect hooks ([[verifier.collect]]) run in the agent's
 * container, its artifacts are copied out; then — if the task collects from its compose services — the
 * agent's container is stopped first when asked (a separate verifier's last use of it: no agent process may
 * touch the services' evidence), the services' hooks run and their artifacts are copied, mirrored under the
 * same folder by their absolute paths. Hooks are best effort, as Harbor's: a failed or timed-out hook is
 * recorded, never fails the trial.
 */
import { promises as fs } from 'node:fs';
import { SandboxError } from '../sandbox/errors';
import type { TrialSandbox } from '../sandbox/types';
import type { CollectHook } from '../tasks/config';
import type { Task } from '../tasks/types';
import { collectArtifacts, type CollectedArtifact } from './collect-artifacts';
import { artifactSources } from './separate-verifier';

const MAIN = 'main';
const HOOK_OUTPUT_BYTES = 16 * 1024;

export interface HookRun {
  service: string;
  command: string;
  /** null: killed at its timeout. */
  exitCode: number | null;
  /** The end of its stderr when it failed. */
  error?: string;
}

export interface CollectPassResult {
  dir: string | null;
  artifacts: (CollectedArtifact & { service?: string })[];
  hooks: HookRun[];
}

async function runHooks(
  hooks: readonly CollectHook[],
  boxOf: (service: string) => Promise<Pick<TrialSandbox, 'exec'>>,
): Promise<HookRun[]> {
  const runs: HookRun[] = [];
  for (const h of hooks) {
    const base = { service: h.service, command: h.command };
    try {
      const box = await boxOf(h.service);
      const r = await box.exec(h.command, {
        timeoutSec: h.timeoutSec,
        maxOutputBytes: HOOK_OUTPUT_BYTES,
        ...(h.user !== null ? { user: h.user } : {}),
      });
      const failed = r.timedOut || r.exitCode !== 0;
      const why = r.timedOut ? `timed out after ${h.timeoutSec}s` : r.stderr.trim().slice(-300);
      runs.push({ ...base, exitCode: r.exitCode, ...(failed ? { error: why || `exit ${r.exitCode}` } : {}) });
    } catch (err) {
      // A service that is not running is the task's problem, recorded like any failed hook.
      if (!(err instanceof SandboxError)) throw err;
      runs.push({ ...base, exitCode: null, error: (err as Error).message });
    }
  }
  return runs;
}

/** `task`: the task, or a step's view of it (its artifacts and hooks added). */
export async function collectPass(
  box: TrialSandbox,
  task: Task,
  opts: { stopMainBeforeServices: boolean },
): Promise<CollectPassResult> {
  const hooks = task.config.verifier.collect ?? [];
  const serviceBox = async (name: string) => {
    if (!box.service)
      throw new SandboxError({ operation: 'service', message: `compose service "${name}": not available here` });
    return box.service(name);
  };
  const runs = await runHooks(
    hooks.filter((h) => h.service === MAIN),
    async () => box,
  );
  const main = await collectArtifacts(box, task, artifactSources(task));
  const sidecarHooks = hooks.filter((h) => h.service !== MAIN);
  const sidecarArtifacts = task.config.serviceArtifacts ?? [];
  if (sidecarHooks.length === 0 && sidecarArtifacts.length === 0)
    return { dir: main.dir, artifacts: main.artifacts, hooks: runs };

  if (opts.stopMainBeforeServices) await box.stop();
  runs.push(...(await runHooks(sidecarHooks, serviceBox)));
  let dir = main.dir;
  const artifacts: CollectPassResult['artifacts'] = [...main.artifacts];
  for (const service of [...new Set(sidecarArtifacts.map((a) => a.service))]) {
    const sources = sidecarArtifacts.filter((a) => a.service === service).map((a) => a.source);
    // Best effort, as Harbor's: a service that is not running has nothing to give (the tests say what is missing).
    const from = await serviceBox(service).catch((err: unknown) => {
      if (err instanceof SandboxError) return null;
      throw err;
    });
    if (!from) continue;
    const got = await collectArtifacts(from, task, sources);
    if (!got.dir) continue;
    if (dir === null) dir = got.dir;
    else {
      // One folder for every service, as Harbor lays it out (the first copy of a path wins).
      await fs.cp(got.dir, dir, { recursive: true, force: false });
      await fs.rm(got.dir, { recursive: true, force: true });
    }
    artifacts.push(...got.artifacts.map((a) => ({ ...a, service })));
  }
  return { dir, artifacts, hooks: runs };
}
