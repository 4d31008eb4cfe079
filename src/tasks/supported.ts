/**
 * What a task may ask for that this runtime cannot give, refused when the task is loaded — with the file and
 * field — rather than ignored, because ignoring it would change the result: Windows containers, GPUs on a
 * machine without any, a host allowlist (no egress filter yet), and a verifier network that differs from the
 * agent's in shared mode (one container cannot switch networks between the phases).
 */
import { existsSync } from 'node:fs';
import type { EnvironmentConfig, TaskConfig } from './config';
import { TaskLoadError } from './errors';

/** GPUs the machine can hand to containers: AUTOAGENT_GPUS when set, else the NVIDIA device nodes present. */
function machineGpus(env: Record<string, string | undefined> = process.env): number {
  if (env.AUTOAGENT_GPUS !== undefined) return Number(env.AUTOAGENT_GPUS) || 0;
  let n = 0;
  while (existsSync(`/dev/nvidia${n}`)) n++;
  return n;
}

function checkEnvironment(e: EnvironmentConfig, section: string, file: string): void {
  if (e.os === 'windows')
    throw new TaskLoadError({
      file,
      field: `${section}.os`,
      problem: '"windows" is not supported: AutoAgent runs Linux containers only',
    });
  if (e.networkMode === 'allowlist') {
    throw new TaskLoadError({
      file,
      field: `${section}.network_mode`,
      problem: '"allowlist" is not supported yet (no egress filter): use "public" or "no-network"',
    });
  }
  const have = e.gpus > 0 ? machineGpus() : 0;
  if (e.gpus > have)
    throw new TaskLoadError({
      file,
      field: `${section}.gpus`,
      problem: `${e.gpus} GPU(s) requested, but this machine has ${have} (set AUTOAGENT_GPUS if it has some we cannot see)`,
    });
}

export function assertSupported(config: TaskConfig, file: string): void {
  checkEnvironment(config.environment, '[environment]', file);
  if (config.verifier.environment) checkEnvironment(config.verifier.environment, '[verifier.environment]', file);
  for (const [phase, mode] of [
    ['[agent]', config.agent.networkMode],
    ['[verifier]', config.verifier.networkMode],
  ] as const) {
    if (mode === 'allowlist')
      throw new TaskLoadError({
        file,
        field: `${phase}.network_mode`,
        problem: '"allowlist" is not supported yet (no egress filter): use "public" or "no-network"',
      });
  }
  const agentNet = config.agent.networkMode ?? config.environment.networkMode;
  const verifierNet = config.verifier.networkMode ?? config.environment.networkMode;
  if (config.verifier.environmentMode !== 'separate' && agentNet !== verifierNet) {
    throw new TaskLoadError({
      file,
      field: '[verifier].network_mode',
      problem: `"${verifierNet}" differs from the agent's "${agentNet}": supported with [verifier] environment_mode = "separate" only`,
    });
  }
}

/** The network a phase's container gets. */
export const agentNetwork = (config: TaskConfig): EnvironmentConfig['networkMode'] =>
  config.agent?.networkMode ??
  config.environment.networkMode ??
  (config.environment.allowInternet ? 'public' : 'no-network');
