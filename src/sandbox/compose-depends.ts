/**
 * `main`'s `depends_on` in a task's docker-compose.yaml, honoured as `docker compose up` honours it under
 * Harbor: the agent's container starts only once each service it depends on is started, healthy
 * (`condition: service_healthy`) or has exited 0 (`service_completed_successfully`). We start `main`
 * ourselves (the provider makes that container), so compose cannot wait for it: this does. A service that
 * turns unhealthy, or exits when it should run, fails the start at once, naming the service.
 */
import type Docker from 'dockerode';

export type DependCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';
export interface Dependency {
  service: string;
  condition: DependCondition;
}

const CONDITIONS = new Set<string>(['service_started', 'service_healthy', 'service_completed_successfully']);

/** The services `depends_on` names (a list: started; a map: each with its condition), or an error text. */
export function parseDependsOn(value: unknown): Dependency[] | string {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    if (!value.every((s): s is string => typeof s === 'string')) return 'expected a list of service names';
    return value.map((service) => ({ service, condition: 'service_started' }));
  }
  if (typeof value !== 'object') return 'expected a list or a map of services';
  const out: Dependency[] = [];
  for (const [service, spec] of Object.entries(value as Record<string, unknown>)) {
    const condition = (spec as { condition?: unknown } | null)?.condition ?? 'service_started';
    if (typeof condition !== 'string' || !CONDITIONS.has(condition))
      return `${service}.condition: expected one of ${[...CONDITIONS].join(', ')}, got ${JSON.stringify(condition)}`;
    out.push({ service, condition: condition as DependCondition });
  }
  return out;
}

/** A dependency that can never be met, or not in time (an engine error is not one: it propagates as is). */
export class ServiceDependencyError extends Error {
  override readonly name = 'ServiceDependencyError';
}

type State = 'met' | 'waiting' | string; // any other string: why it can never be met

function stateOf(dep: Dependency, info: Docker.ContainerInspectInfo | null): State {
  if (!info) return 'waiting';
  const s = info.State;
  if (dep.condition === 'service_completed_successfully') {
    if (s.Status !== 'exited') return 'waiting';
    return s.ExitCode === 0 ? 'met' : `exited ${s.ExitCode} (condition service_completed_successfully)`;
  }
  if (s.Status === 'exited' || s.Status === 'dead') return `exited ${s.ExitCode} before main started`;
  if (!s.Running) return 'waiting';
  if (dep.condition === 'service_started') return 'met';
  const health = s.Health?.Status;
  if (!health) return 'has no healthcheck (condition service_healthy)';
  if (health === 'unhealthy') return 'is unhealthy';
  return health === 'healthy' ? 'met' : 'waiting';
}

/** Resolves once every dependency is met; rejects with the first that can never be, or on the deadline. */
export async function awaitDependencies(
  docker: Docker,
  project: string,
  deps: readonly Dependency[],
  timeoutMs: number,
  intervalMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...deps];
  while (pending.length > 0) {
    const next: Dependency[] = [];
    for (const dep of pending) {
      const [c] = await docker.listContainers({
        all: true,
        filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${dep.service}`] },
      });
      const state = stateOf(dep, c ? await docker.getContainer(c.Id).inspect() : null);
      if (state === 'met') continue;
      if (state !== 'waiting') throw new ServiceDependencyError(`service "${dep.service}" ${state}`);
      next.push(dep);
    }
    pending = next;
    if (pending.length === 0) return;
    if (Date.now() > deadline)
      throw new ServiceDependencyError(
        `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${pending.map((d) => `"${d.service}" (${d.condition})`).join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
