/**
 * Multi-container tasks (Harbor): `environment/docker-compose.yaml` declares services beside the agent's
 * container, which Harbor calls `main`. The services run under docker-compose as project
 * `autoagent-<trial>` on a per-trial network (internal — no route out — unless the task's network is public);
 * the agent's container, created by the provider as for any task, joins that network as `main`, so the
 * services and the agent reach each other by name. An override file labels every service container and the
 * network like our sandboxes, so a dead owner's leftovers are reaped the same way; `down()` removes them all.
 * `main`'s own entry in the file is not run (the provider makes that container); its `environment` is applied,
 * and its `depends_on` conditions are awaited before the agent's container starts (compose-depends.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { Task } from '../tasks/types';
import { ServiceDependencyError, awaitDependencies, parseDependsOn } from './compose-depends';
import { SandboxError } from './errors';
import { sanitizeName } from './image';

const run = promisify(execFile);
const COMPOSE_FILES = ['docker-compose.yaml', 'docker-compose.yml'];
export const MAIN_SERVICE = 'main';

function composeFileOf(task: Task): string | null {
  // A task built in code (a sandbox for an image, no task folder) has no environment folder and so no services.
  const dir = (task.paths as Task['paths'] | undefined)?.environmentDir;
  if (!dir) return null;
  for (const f of COMPOSE_FILES) {
    const p = path.join(dir, f);
    if (existsSync(p)) return p;
  }
  return null;
}

interface ComposeDoc {
  version?: string;
  services?: Record<
    string,
    { environment?: Record<string, unknown> | string[]; build?: unknown; image?: string; depends_on?: unknown } | null
  >;
}

/** Built services get a name fixed by the task's content, so trials share one build instead of one per project. */
const serviceImage = (task: Task, service: string): string =>
  `autoagent-env/${sanitizeName(`${task.name}-${service}`)}:${task.hash.slice(0, 16)}`;

/** Variables the compose file gives `main` (a map or KEY=VALUE list). */
function mainEnvironment(file: string, doc: ComposeDoc): Record<string, string> {
  const env = doc.services?.[MAIN_SERVICE]?.environment;
  if (!env) return {};
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((kv) => {
        const i = kv.indexOf('=');
        return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
  if (typeof env !== 'object')
    throw new SandboxError({
      operation: 'compose',
      containerId: null,
      message: `${file}: services.main.environment: expected a map or a list`,
    });
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

export interface ComposeServices {
  project: string;
  network: string;
  /** Extra variables for `main` from the compose file. */
  mainEnv: Record<string, string>;
  down(): Promise<void>;
}

/** Starts the task's services (all but main); null when the task has none. */
export async function startServices(
  task: Task,
  opts: { trialId: string; labels: Record<string, string>; mainImage: string; internal: boolean; docker: Docker },
): Promise<ComposeServices | null> {
  const file = composeFileOf(task);
  if (!file) return null;
  const YAML = await import('yaml'); // here, not at the top: most tasks have no compose file
  const doc = (YAML.parse(await fs.readFile(file, 'utf8')) ?? {}) as ComposeDoc;
  const services = Object.keys(doc.services ?? {}).filter((s) => s !== MAIN_SERVICE);
  const mainEnv = mainEnvironment(file, doc);
  const dependencies = parseDependsOn(doc.services?.[MAIN_SERVICE]?.depends_on);
  if (typeof dependencies === 'string')
    throw new SandboxError({
      operation: 'compose',
      containerId: null,
      message: `${file}: services.main.depends_on: ${dependencies}`,
    });
  const project = `autoagent-${opts.trialId}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 60);
  const network = `${project}_default`;
  if (services.length === 0) return { project, network: '', mainEnv, down: () => Promise.resolve() };

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aa-compose-'));
  const override = path.join(dir, 'autoagent-override.yaml');
  const labels = { ...opts.labels };
  await fs.writeFile(
    override,
    YAML.stringify({
      ...(doc.version ? { version: doc.version } : {}),
      services: {
        // Only validated, never started (the provider runs main); an image keeps compose from asking for a build.
        [MAIN_SERVICE]: { image: opts.mainImage },
        ...Object.fromEntries(
          services.map((s) => {
            const def = doc.services?.[s];
            return [s, { labels, ...(def?.build !== undefined && !def.image ? { image: serviceImage(task, s) } : {}) }];
          }),
        ),
      },
      networks: { default: { internal: opts.internal, labels } },
    }),
  );
  const compose = async (...args: string[]): Promise<void> => {
    try {
      await run(
        'docker-compose',
        ['-p', project, '--project-directory', path.dirname(file), '-f', file, '-f', override, ...args],
        {
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
          },
          maxBuffer: 16 * 1024 * 1024,
          timeout: task.config.environment.buildTimeoutSec * 1000,
        },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new SandboxError({
        operation: 'compose',
        containerId: null,
        message: `${file}: docker-compose ${args[0]} failed: ${(e.stderr || e.message).trim().split('\n').slice(-5).join(' | ')}`,
      });
    }
  };
  const down = async (): Promise<void> => {
    await compose('down', '-v', '--remove-orphans', '-t', '1').finally(() =>
      fs.rm(dir, { recursive: true, force: true }),
    );
  };
  try {
    // No --build: compose builds what is missing (a new task version has a new image name) and reuses the rest.
    await compose('up', '-d', '--no-deps', ...services);
    await awaitDependencies(
      opts.docker,
      project,
      dependencies.filter((d) => services.includes(d.service)),
      task.config.environment.buildTimeoutSec * 1000,
    ).catch((err: unknown) => {
      if (!(err instanceof ServiceDependencyError)) throw err;
      throw new SandboxError({
        operation: 'compose',
        containerId: null,
        message: `${file}: services.main.depends_on: ${(err as Error).message}`,
      });
    });
  } catch (err) {
    await down().catch(() => undefined);
    throw err;
  }
  return { project, network, mainEnv, down };
}
