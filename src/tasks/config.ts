/**
 * task.toml → TaskConfig. The file format is Harbor's (also what Terminal-Bench 2 tasks use): a version
 * (`version` or `schema_version`), optional [task] package info, free-form [metadata], [verifier] / [agent]
 * timeouts and [environment] resources. Unknown keys are tolerated and kept (`raw`, and passthrough in each
 * section), because real tasks carry many fields we do not use. Bad values become a TaskLoadError naming
 * the file and the field, e.g. `x/task.toml: [verifier].timeout_sec: expected a number, got "abc"`.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { TaskLoadError } from './errors';
import { parseSizeMb } from './sizes';
import { tablePath } from '../util/zod-issue';

const Seconds = z.number().positive();

/** A size given as a number of MB or a string like "2G"; invalid input gets a message naming the form. */
const SizeMb = z.unknown().transform((v, ctx): number => {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.floor(v);
  const mb = typeof v === 'string' ? parseSizeMb(v) : null;
  if (mb === null) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected megabytes or a size like "2G", got ${show(v)}` });
    return z.NEVER;
  }
  return mb;
});

const ContainerPath = z.string().regex(/^\/(?!.*(^|\/)\.\.(\/|$))./, 'must be an absolute path below / without ".."');

const Author = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.object({ name: z.string(), email: z.string().optional() }).passthrough(),
);

const NetworkModeSchema = z.enum(['no-network', 'public', 'allowlist']);

const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const isIpv4 = (h: string): boolean =>
  /^(\d{1,3})(\.\d{1,3}){3}$/.test(h) && h.split('.').every((p) => Number(p) <= 255);
const isIpv6 = (h: string): boolean => /^[0-9a-f:.]+$/.test(h) && h.includes(':') && h.split('::').length <= 2;

/** Harbor's allowed_hosts entry: a hostname, a leading-wildcard `*.name`, an IP literal or a CIDR range (normalised). */
const AllowedHost = z
  .string()
  .transform((v) => v.trim().toLowerCase().replace(/\.$/, ''))
  .superRefine((h, ctx) => {
    const bad = (message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    if (!h) return bad('expected a hostname, not an empty string');
    if (h.includes('/')) {
      const [ip, bits, extra] = h.split('/');
      const max = isIpv4(ip ?? '') ? 32 : isIpv6(ip ?? '') ? 128 : -1;
      if (extra !== undefined || max < 0 || !/^\d{1,3}$/.test(bits ?? '') || Number(bits) > max)
        bad(`"${h}": expected a hostname, an IP address or an IP CIDR range, not a URL, port or path`);
      return;
    }
    if (isIpv4(h) || isIpv6(h)) return;
    const name = h.startsWith('*.') ? h.slice(2) : h;
    if (name.includes('*')) return bad(`"${h}": a wildcard must be a leading "*." prefix`);
    if (!name.split('.').every((l) => HOST_LABEL.test(l)))
      bad(`"${h}": expected a hostname, an IP address or an IP CIDR range, not a URL, port or path`);
  });
type NetworkMode = z.infer<typeof NetworkModeSchema>;

/** Harbor's `[*.healthcheck]`: Docker HEALTHCHECK semantics; the agent starts once it passes. */
const HealthcheckSchema = z
  .object({
    command: z.string().min(1),
    interval_sec: Seconds.default(5),
    timeout_sec: Seconds.default(30),
    start_period_sec: z.number().min(0).default(0),
    start_interval_sec: Seconds.default(5),
    retries: z.number().int().min(1).default(3),
  })
  .passthrough();

/**
 * Harbor's `env` tables, whose values may name host variables (`${VAR}`, `${VAR:-default}`). A host variable
 * never enters a sandbox here (it may be a secret): `${VAR:-default}` is the default, and `${VAR}` alone is an
 * error naming the field, so a task that needs a host value says so at load time instead of getting "".
 */
const TaskEnv = z.record(z.string()).transform((env, ctx) => {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    out[key] = value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g,
      (whole, name: string, dflt, text: string) => {
        if (dflt !== undefined) return text;
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `${whole} names a host variable, and host variables never enter a sandbox: write the value, or \${${name}:-default}`,
        });
        return '';
      },
    );
  }
  return out;
});

/** [environment], and Harbor's [verifier.environment] for a separate verifier (same schema). */
const RawEnvironment = z
  .object({
    build_timeout_sec: Seconds.default(600),
    cpus: z.number().positive().default(1),
    memory_mb: SizeMb.optional(),
    memory: SizeMb.optional(),
    storage_mb: SizeMb.optional(),
    storage: SizeMb.optional(),
    // Harbor's older switch; network_mode (schema 1.4) wins. Both absent: public, Harbor's default (Terminal-
    // Bench 2 tasks omit the key and their verifiers install tools at test time).
    allow_internet: z.boolean().optional(),
    network_mode: NetworkModeSchema.optional(),
    allowed_hosts: z.array(AllowedHost).optional(),
    docker_image: z.string().min(1).nullable().optional(),
    workdir: z.string().min(1).optional(),
    env: TaskEnv.default({}),
    healthcheck: HealthcheckSchema.optional(),
    gpus: z.number().int().min(0).optional(),
    // Harbor's acceptable GPU types (["H100", "A100"]); null or absent: any.
    gpu_types: z.array(z.string().min(1)).nullable().optional(),
    // Refused when set: ignoring them would change what the agent gets (an MCP server, a TPU slice).
    mcp_servers: z
      .array(z.unknown())
      .max(0, 'MCP servers are not supported yet: the agent would run without them')
      .optional(),
    tpu: z
      .unknown()
      .refine((v) => v === undefined, 'TPUs are not supported: AutoAgent runs CPU (and NVIDIA GPU) containers')
      .optional(),
    os: z
      .preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['linux', 'windows']))
      .default('linux'),
  })
  .passthrough()
  .superRefine((e, ctx) => {
    if (e.allowed_hosts !== undefined && e.network_mode !== 'allowlist') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['allowed_hosts'],
        message: 'only valid with network_mode = "allowlist"',
      });
    }
    if (
      e.network_mode !== undefined &&
      e.allow_internet !== undefined &&
      e.allow_internet !== (e.network_mode === 'public')
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['allow_internet'],
        message: `contradicts network_mode = "${e.network_mode}" (drop allow_internet: it is the older form)`,
      });
    }
  });

/** Harbor's `[[steps]]`: a multi-step task runs its steps in order in one environment. */
/** Harbor's `user` of a phase: a user name or a uid (None: the image's USER). */
const User = z.union([
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$|^\d+$/, 'expected a user name or a uid'),
  z.number().int().min(0, 'expected a user name or a uid'),
]);

/** Harbor's artifact entry: a path, or `{ source, service? }` (service: a compose service; absent or main = the agent's). */
const RawArtifact = z.union([
  ContainerPath,
  z
    .object({
      source: ContainerPath,
      service: z.string().min(1).optional(),
      // Refused when given: a separate verifier would get the files it names. (`destination` only moves the
      // trial record's copy, so it is tolerated.)
      exclude: z.array(z.string()).max(0, 'exclude patterns are not supported yet').optional(),
    })
    .passthrough(),
]);

/** Harbor's [[verifier.collect]]: a command run in a service after the agent phase, before artifacts are collected. */
const RawCollectHook = z
  .object({
    command: z.string().min(1),
    service: z.string().min(1).default('main'),
    timeout_sec: Seconds.default(60),
    user: User.optional(),
  })
  .passthrough();

const RawStep = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a portable folder name (letters, digits, ".", "_", "-")'),
    agent: z.object({ timeout_sec: Seconds.optional(), user: User.optional() }).passthrough().default({}),
    verifier: z
      .object({
        timeout_sec: Seconds.optional(),
        env: TaskEnv.default({}),
        user: User.optional(),
        collect: z.array(RawCollectHook).default([]),
      })
      .passthrough()
      .default({}),
    min_reward: z.union([z.number(), z.record(z.number())]).optional(),
    healthcheck: HealthcheckSchema.optional(),
    // Harbor: collected after this step's verification into steps/<name>/artifacts/, beside the task's own.
    artifacts: z.array(RawArtifact).default([]),
  })
  .passthrough();

const RawTaskToml = z
  .object({
    version: z.union([z.string(), z.number()]).optional(),
    schema_version: z.union([z.string(), z.number()]).optional(),
    task: z
      .object({
        name: z.string().min(1).optional(),
        description: z.string().optional(),
        keywords: z.array(z.string()).default([]),
        authors: z.array(Author).default([]),
      })
      .passthrough()
      .optional(),
    metadata: z.record(z.unknown()).default({}),
    // Harbor: what is collected from the agent's container (a path, or {source, ...}).
    artifacts: z.array(RawArtifact).default([]),
    verifier: z
      .object({
        timeout_sec: Seconds.default(600),
        env: TaskEnv.default({}),
        user: User.optional(),
        collect: z.array(RawCollectHook).default([]),
        // Harbor: 'separate' runs the tests in a fresh container given only the agent's artifacts.
        environment_mode: z.enum(['shared', 'separate']).optional(),
        network_mode: NetworkModeSchema.optional(),
        allowed_hosts: z.array(AllowedHost).optional(),
        // Harbor: the separate verifier's own environment (image, resources); implies environment_mode 'separate'.
        environment: RawEnvironment.optional(),
      })
      .passthrough()
      .refine((v) => !(v.environment_mode === 'shared' && v.environment), {
        message:
          'conflicts with environment_mode = "shared" (a verifier environment is only used by a separate verifier)',
        path: ['environment'],
      })
      .default({}),
    agent: z
      .object({
        timeout_sec: Seconds.default(600),
        user: User.optional(),
        // Our extension (Harbor has none): system paths the agent may change as part of the task.
        writable_paths: z.array(z.string().regex(/^\//, 'must be an absolute path')).default([]),
        // Harbor: a phase override of [environment].network_mode.
        network_mode: NetworkModeSchema.optional(),
        allowed_hosts: z.array(AllowedHost).optional(),
      })
      .passthrough()
      .default({}),
    environment: RawEnvironment.default({}),
    steps: z.array(RawStep).min(1, 'expected at least one step').optional(),
    multi_step_reward_strategy: z.enum(['mean', 'final']).optional(),
  })
  .passthrough()
  .superRefine((t, ctx) => {
    const names = (t.steps ?? []).map((s) => s.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['steps', i, 'name'],
          message: `duplicate step name "${n}"`,
        });
    });
  });

type Raw = z.output<typeof RawTaskToml>;

export interface TaskConfig {
  version: string;
  task: {
    name?: string;
    description?: string;
    keywords: string[];
    authors: { name: string; email?: string }[];
  };
  metadata: Record<string, unknown>;
  verifier: {
    timeoutSec: number;
    env: Record<string, string>;
    /** Harbor's [verifier].environment_mode (absent = 'shared'); 'separate' when [verifier.environment] is set. */
    environmentMode?: 'shared' | 'separate';
    /** [verifier.environment]: the separate verifier's own environment; absent = a copy of [environment]. */
    environment?: EnvironmentConfig;
    /** [verifier].network_mode: the verifier phase's override. */
    networkMode?: NetworkMode;
    /** [verifier].allowed_hosts of its network_mode = "allowlist" override. */
    allowedHosts?: string[];
    /** [verifier].user: who runs tests/test.sh (a name or a uid; absent: the image's USER). */
    user?: string;
    /** [[verifier.collect]] hooks (a step's view adds the step's own); absent = none. */
    collect?: CollectHook[];
  };
  /** Harbor's top-level `artifacts` of the agent's container: paths collected and handed to a separate verifier. */
  artifacts?: string[];
  /** Top-level `artifacts` entries that name a compose service other than main (absent = none). */
  serviceArtifacts?: ServiceArtifact[];
  agent: {
    timeoutSec: number;
    /** [agent].writable_paths: paths under /usr, /etc, ... the task lets the agent change (not tampering). */
    writablePaths: string[];
    /** [agent].network_mode: the agent phase's override of [environment].network_mode. */
    networkMode?: NetworkMode;
    /** [agent].allowed_hosts of its network_mode = "allowlist" override. */
    allowedHosts?: string[];
    /** [agent].user: who the agent's commands and file tools run as (absent: the image's USER). */
    user?: string;
  };
  environment: EnvironmentConfig;
  /** [[steps]] of a multi-step task (absent: a single-step task). */
  steps?: StepConfig[];
  /** How the trial's reward follows from the steps' (Harbor's default: mean). */
  multiStepRewardStrategy: 'mean' | 'final';
  /** The whole parsed file, unknown keys included, for tools that need fields we do not model. */
  raw: Record<string, unknown>;
}

export interface EnvironmentConfig {
  buildTimeoutSec: number;
  cpus: number;
  memoryMb: number;
  storageMb: number;
  /** network_mode == "public" (kept for the code that only asks yes/no). */
  allowInternet: boolean;
  /** Harbor's [environment].network_mode, from allow_internet when only that is given. */
  networkMode: NetworkMode;
  allowedHosts: string[];
  dockerImage: string | null;
  /** [environment].workdir when set (Harbor: overrides the image's WORKDIR), else null. */
  workdir: string | null;
  /** Variables set in the container (the task's own; never the host's). */
  env: Record<string, string>;
  healthcheck: Healthcheck | null;
  gpus: number;
  /** Acceptable GPU types (Harbor's gpu_types); empty: any. */
  gpuTypes: string[];
  os: 'linux' | 'windows';
}

export interface StepConfig {
  name: string;
  /** Per-step overrides of [agent].timeout_sec / [verifier].timeout_sec. */
  agentTimeoutSec: number | null;
  verifierTimeoutSec: number | null;
  verifierEnv: Record<string, string>;
  /** Per-step overrides of [agent].user / [verifier].user. */
  agentUser: string | null;
  verifierUser: string | null;
  /** Stop the remaining steps when this step's rewards fall below: a number gates `reward`, a map each key. */
  minReward: number | Record<string, number> | null;
  healthcheck: Healthcheck | null;
  /** [[steps]].artifacts: container paths collected after this step, beside the task's `artifacts`. */
  artifacts: string[];
  serviceArtifacts: ServiceArtifact[];
  /** [steps.verifier] collect hooks, run after the task's own in this step's collection pass. */
  collect: CollectHook[];
}

/** An artifact of a compose service beside the agent's container (Harbor's `{ source, service }`). */
export interface ServiceArtifact {
  service: string;
  source: string;
}

export interface CollectHook {
  command: string;
  /** A compose service, or `main` (the agent's container). */
  service: string;
  timeoutSec: number;
  user: string | null;
}

export interface Healthcheck {
  command: string;
  intervalSec: number;
  timeoutSec: number;
  startPeriodSec: number;
  startIntervalSec: number;
  retries: number;
}

/** Parse and validate task.toml text; `file` is only used to name the file in errors. */
export function parseTaskToml(text: string, file: string): TaskConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const where = err instanceof TomlError ? `line ${err.line}, column ${err.column}` : 'syntax';
    const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    throw new TaskLoadError({ file, field: null, problem: `invalid TOML (${where}): ${msg}` });
  }
  const parsed = RawTaskToml.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TaskLoadError({ file, field: tablePath(issue.path), problem: describeIssue(issue, doc) });
  }
  return toConfig(parsed.data, doc);
}

function toConfig(r: Raw, doc: Record<string, unknown>): TaskConfig {
  return {
    version: String(r.schema_version ?? r.version ?? '1.0'),
    task: {
      ...(r.task?.name !== undefined ? { name: r.task.name } : {}),
      ...(r.task?.description !== undefined ? { description: r.task.description } : {}),
      keywords: r.task?.keywords ?? [],
      authors: (r.task?.authors ?? []).map((a) => ({ name: a.name, ...(a.email ? { email: a.email } : {}) })),
    },
    metadata: r.metadata,
    verifier: {
      timeoutSec: r.verifier.timeout_sec,
      env: r.verifier.env,
      environmentMode: r.verifier.environment_mode ?? (r.verifier.environment ? 'separate' : 'shared'),
      ...(r.verifier.environment ? { environment: toEnvironment(r.verifier.environment) } : {}),
      ...(r.verifier.network_mode ? { networkMode: r.verifier.network_mode } : {}),
      ...(r.verifier.allowed_hosts ? { allowedHosts: r.verifier.allowed_hosts } : {}),
      ...(r.verifier.user !== undefined ? { user: String(r.verifier.user) } : {}),
      collect: r.verifier.collect.map(toHook),
    },
    ...splitArtifacts(r.artifacts),
    agent: {
      timeoutSec: r.agent.timeout_sec,
      writablePaths: r.agent.writable_paths,
      ...(r.agent.network_mode ? { networkMode: r.agent.network_mode } : {}),
      ...(r.agent.allowed_hosts ? { allowedHosts: r.agent.allowed_hosts } : {}),
      ...(r.agent.user !== undefined ? { user: String(r.agent.user) } : {}),
    },
    environment: toEnvironment(r.environment),
    ...(r.steps ? { steps: r.steps.map(toStep) } : {}),
    multiStepRewardStrategy: r.multi_step_reward_strategy ?? 'mean',
    raw: doc,
  };
}

const toHealthcheck = (h: z.output<typeof HealthcheckSchema>): Healthcheck => ({
  command: h.command,
  intervalSec: h.interval_sec,
  timeoutSec: h.timeout_sec,
  startPeriodSec: h.start_period_sec,
  startIntervalSec: h.start_interval_sec,
  retries: h.retries,
});

function toStep(s: z.output<typeof RawStep>): StepConfig {
  return {
    name: s.name,
    agentTimeoutSec: s.agent.timeout_sec ?? null,
    verifierTimeoutSec: s.verifier.timeout_sec ?? null,
    verifierEnv: s.verifier.env,
    agentUser: s.agent.user !== undefined ? String(s.agent.user) : null,
    verifierUser: s.verifier.user !== undefined ? String(s.verifier.user) : null,
    minReward: s.min_reward ?? null,
    healthcheck: s.healthcheck ? toHealthcheck(s.healthcheck) : null,
    ...splitArtifacts(s.artifacts),
    serviceArtifacts: splitArtifacts(s.artifacts).serviceArtifacts ?? [],
    collect: s.verifier.collect.map(toHook),
  };
}

const toHook = (h: z.output<typeof RawCollectHook>): CollectHook => ({
  command: h.command,
  service: h.service,
  timeoutSec: h.timeout_sec,
  user: h.user !== undefined ? String(h.user) : null,
});

/** Artifacts of the agent's container (`main`, the default) apart from those of other compose services. */
function splitArtifacts(list: z.output<typeof RawArtifact>[]): {
  artifacts: string[];
  serviceArtifacts?: ServiceArtifact[];
} {
  const main: string[] = [];
  const others: ServiceArtifact[] = [];
  for (const a of list) {
    if (typeof a === 'string' || a.service === undefined || a.service === 'main')
      main.push(typeof a === 'string' ? a : a.source);
    else others.push({ service: a.service, source: a.source });
  }
  return { artifacts: main, ...(others.length > 0 ? { serviceArtifacts: others } : {}) };
}

function toEnvironment(e: z.output<typeof RawEnvironment>): EnvironmentConfig {
  const networkMode: NetworkMode = e.network_mode ?? (e.allow_internet === false ? 'no-network' : 'public');
  return {
    buildTimeoutSec: e.build_timeout_sec,
    cpus: e.cpus,
    // The explicit *_mb key wins over the older TB2 string form when a file has both.
    memoryMb: e.memory_mb ?? e.memory ?? 2048,
    storageMb: e.storage_mb ?? e.storage ?? 10240,
    allowInternet: networkMode === 'public',
    networkMode,
    allowedHosts: e.allowed_hosts ?? [],
    dockerImage: e.docker_image ?? null,
    workdir: e.workdir ?? null,
    env: e.env,
    healthcheck: e.healthcheck ? toHealthcheck(e.healthcheck) : null,
    gpus: e.gpus ?? 0,
    gpuTypes: e.gpu_types ?? [],
    os: e.os,
  };
}

function describeIssue(issue: z.ZodIssue, doc: unknown): string {
  const value = valueAt(doc, issue.path);
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return `expected ${article(issue.expected)}, got ${show(value)}`;
    case z.ZodIssueCode.too_small:
      return `must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, got ${show(value)}`;
    case z.ZodIssueCode.invalid_union:
      return `unexpected value ${show(value)}`;
    default:
      return issue.message;
  }
}

function valueAt(doc: unknown, p: (string | number)[]): unknown {
  let cur: unknown = doc;
  for (const k of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

function article(t: string): string {
  const names: Record<string, string> = { object: 'a table', array: 'an array', integer: 'an integer' };
  return names[t] ?? `a ${t}`;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `a date (${v.toISOString()})`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'a table';
  return String(v);
}
