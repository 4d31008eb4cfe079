/**
 * The task as its separate verifier sees it: which image the verifier container runs and under which limits.
 * Harbor's precedence (harbor/models/task/verifier_mode.py, 0.26): [verifier.environment].docker_image, else
 * an image built from tests/ when tests/Dockerfile exists, else the task's own image; the resources are
 * [verifier.environment]'s when it is given, else a fresh copy of [environment].
 */
import type { Task } from './types';

export function verifierEnvironmentOf(task: Task): Task {
  const own = task.config.verifier.environment;
  const env = own ?? task.config.environment;
  // The verifier's container runs on the verifier's network: its phase override, else its environment's.
  const { networkMode: _agentOverride, allowedHosts: _agentHosts, ...agent } = task.config.agent;
  const asVerifier = (environment: Task['config']['environment'], paths: Partial<Task['paths']>): Task => {
    const networkMode = task.config.verifier.networkMode ?? environment.networkMode;
    // A phase override brings its own allowed_hosts (none given: none), as Harbor's explicit phase policy.
    const allowedHosts = task.config.verifier.networkMode
      ? (task.config.verifier.allowedHosts ?? [])
      : environment.allowedHosts;
    return {
      ...task,
      config: {
        ...task.config,
        agent,
        environment: { ...environment, networkMode, allowedHosts, allowInternet: networkMode === 'public' },
      },
      paths: { ...task.paths, ...paths },
    };
  };
  if (own?.dockerImage) return asVerifier(own, { dockerfile: null });
  if (task.paths.verifierDockerfile) {
    // Its own image tag: the build context is tests/, not environment/.
    return {
      ...asVerifier(
        { ...env, dockerImage: null },
        { environmentDir: task.paths.testsDir, dockerfile: task.paths.verifierDockerfile },
      ),
      name: `${task.name}-verifier`,
    };
  }
  return asVerifier({ ...env, dockerImage: task.config.environment.dockerImage }, {});
}

/** Whether the verifier runs another image than the agent (so it needs its own build). */
export const hasOwnVerifierImage = (task: Task): boolean =>
  Boolean(task.config.verifier.environment?.dockerImage) || task.paths.verifierDockerfile !== null;
