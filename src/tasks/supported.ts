/**
 * What a task may ask for that this runtime cannot give, refused when the task is loaded — with the file and
 * field — rather than ignored, because ignoring it would change the result: Windows containers, GPUs on a
 * machine without any (or without one of the GPU types it names), a host allowlist beside compose services (the allowlist's proxy network and the
 * services' network are one network each; joining both would open the services' way out), and a verifier
 * network that differs from the agent's in shared mode (one container cannot switch networks between the
 * phases).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EnvironmentConfig, TaskConfig } from './config';
import { TaskLoadError } from './errors';

/** GPUs the machine can hand to containers: AUTOAGENT_GPUS when set, else the NVIDIA device nodes present. */
function machineGpus(env: Record<string, string | undefined> = process.env): number {
  if (env.AUTOAGENT_GPUS !== undefined) return Number(env.AUTOAGENT_GPUS) || 0;
  let n = 0;
  while (existsSync(`/dev/nvidia${n}`)) n++;
  return n;
}

/** The machine's GPU types (AUTOAGENT_GPU_TYPES, comma-separated, e.g. "NVIDIA H100 80GB HBM3"); null: unknown. */
function machineGpuTypes(env: Record<string, string | undefined> = process.env): string[] | null {
  const list = env.AUTOAGENT_GPU_TYPES?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return list?.length ? list : null;
}

function checkEnvironment(e: EnvironmentConfig, section: string, file: string): void {
  if (e.os === 'windows')
    throw new TaskLoadError({
      file,
      field: `${section}.os`,
      problem: '"windows" is not supported: AutoAgent runs Linux containers only',
    });
  const have = e.gpus > 0 ? machineGpus() : 0;
  if (e.gpus > have)
    throw new TaskLoadError({
      file,
      field: `${section}.gpus`,
      problem: `${e.gpus} GPU(s) requested, but this machine has ${have} (set AUTOAGENT_GPUS if it has some we cannot see)`,
    });
  if (e.gpus > 0 && e.gpuTypes.length > 0) {
    // A GPU of another type could change the result (speed, memory, kernels): checked, never assumed.
    const types = machineGpuTypes();
    const wanted = e.gpuTypes.map((t) => t.toLowerCase());
    if (!types)
      throw new TaskLoadError({
        file,
        field: `${section}.gpu_types`,
        problem: `${JSON.stringify(e.gpuTypes)} requested, but this machine's GPU types are unknown: set AUTOAGENT_GPU_TYPES (e.g. "NVIDIA H100 80GB HBM3")`,
      });
    if (!types.some((t) => wanted.some((w) => t.toLowerCase().includes(w))))
      throw new TaskLoadError({
        file,
        field: `${section}.gpu_types`,
        problem: `${JSON.stringify(e.gpuTypes)} requested, but this machine has ${JSON.stringify(types)} (AUTOAGENT_GPU_TYPES)`,
      });
  }
}

const hasComposeFile = (taskToml: string): boolean =>
  ['docker-compose.yaml', 'docker-compose.yml'].some((f) =>
    existsSync(path.join(path.dirname(taskToml), 'environment', f)),
  );

export function assertSupported(config: TaskConfig, file: string): void {
  checkEnvironment(config.environment, '[environment]', file);
  if (config.environment.networkMode === 'allowlist' && hasComposeFile(file))
    throw new TaskLoadError({
      file,
      field: '[environment].network_mode',
      problem: '"allowlist" together with environment/docker-compose.yaml services is not supported yet',
    });
  if (config.verifier.environment) checkEnvironment(config.verifier.environment, '[verifier.environment]', file);
  for (const [phase, mode] of [
    ['[agent]', config.agent.networkMode],
    ['[verifier]', config.verifier.networkMode],
  ] as const) {
    if (mode === 'allowlist' && hasComposeFile(file))
      throw new TaskLoadError({
        file,
        field: `${phase}.network_mode`,
        problem: '"allowlist" together with environment/docker-compose.yaml services is not supported yet',
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

/** The network policy of a phase's container: its mode and, for "allowlist", the hosts it may reach. */
export function networkPolicy(config: TaskConfig): { mode: EnvironmentConfig['networkMode']; allowedHosts: string[] } {
  const mode = agentNetwork(config);
  // A phase override brings its own allowed_hosts (Harbor's explicit phase policy); else the environment's.
  const allowedHosts = config.agent?.networkMode ? (config.agent.allowedHosts ?? []) : config.environment.allowedHosts;
  return { mode, allowedHosts: mode === 'allowlist' ? allowedHosts : [] };
}
