/**
 * The many-machine stack (docker-compose.yml + deploy/), checked as far as this machine allows. No registry
 * is reachable, so its images cannot be pulled and the stack cannot come up here. What runs for real:
 * the compose tool's own validator (`docker compose config`, else Debian's `docker-compose config`), whose
 * resolved output every assertion reads; the namespace + search-attribute setup script against a real
 * Temporal dev server with the real Temporal CLI (twice: it must be idempotent); and the worker's
 * healthcheck against the real Docker engine. A missing compose tool, Temporal CLI or Docker engine FAILS.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { parse as parseYaml } from 'yaml';
import { findTemporalBinary, freePort, startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/workflows/search-attributes';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const SERVICES = [
  'postgresql',
  'temporal-schema',
  'temporal',
  'temporal-setup',
  'ui',
  'worker',
  'records',
  'artifacts',
];

type Service = Record<string, unknown> & { environment?: Record<string, string | null> };

/** `docker compose` (v2 plugin) if present, else `docker-compose` (v1, Debian's package). */
let compose: string[] | null = null;
function composeCommand(): string[] {
  if (compose) return compose;
  for (const cmd of [['docker', 'compose'], ['docker-compose']]) {
    try {
      execFileSync(cmd[0]!, [...cmd.slice(1), 'version'], { stdio: 'ignore' });
      return (compose = cmd);
    } catch {
      /* try the next one */
    }
  }
  throw new Error("no compose tool: install the docker compose plugin, or Debian's `apt-get install docker-compose`");
}

const rendered = new Map<string, Record<string, Service>>();
/** The file as the compose tool resolves it, with only `env` (plus PATH/HOME) in the environment. */
function render(env: Record<string, string> = {}): Record<string, Service> {
  const key = JSON.stringify(env);
  const hit = rendered.get(key);
  if (hit) return hit;
  const [bin, ...pre] = composeCommand();
  const out = execFileSync(bin!, [...pre, '-f', COMPOSE_FILE, 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
  });
  const services = (parseYaml(out) as { services: Record<string, Service> }).services;
  rendered.set(key, services);
  return services;
}

/** Published port -> target, for v1 (`{published: 8080}`) and v2 (`{published: "8080"}`) output. */
function ports(s: Service): Record<string, string> {
  return Object.fromEntries(
    (s.ports as { published: unknown; target: unknown }[]).map((p) => [String(p.published), String(p.target)]),
  );
}

/** Bind mounts as source -> target, for v1 (`src:dst:rw` strings) and v2 (long form) output. */
function binds(s: Service): Record<string, string> {
  return Object.fromEntries(
    ((s.volumes ?? []) as (string | { source: string; target: string })[]).map((v) =>
      typeof v === 'string' ? (v.split(':').slice(0, 2) as [string, string]) : [v.source, v.target],
    ),
  );
}

const conditions = (s: Service): Record<string, string> =>
  Object.fromEntries(
    Object.entries(s.depends_on as Record<string, { condition: string }>).map(([k, v]) => [k, v.condition]),
  );

describe('docker-compose.yml, as the compose tool resolves it', () => {
  const services = render();

  test("has the stack's services, none with a fixed container name (so --scale works)", () => {
    expect(Object.keys(services).sort()).toEqual([...SERVICES].sort());
    for (const s of Object.values(services)) expect(s.container_name).toBeUndefined();
  });

  test('starts in order: schema, server, namespace + attributes, then the UI and the workers', () => {
    expect(conditions(services['temporal-schema']!)).toEqual({ postgresql: 'service_healthy' });
    expect(conditions(services.temporal!)).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(conditions(services['temporal-setup']!)).toEqual({ temporal: 'service_healthy' });
    expect(conditions(services.ui!)).toEqual({
      temporal: 'service_healthy',
      'temporal-setup': 'service_completed_successfully',
    });
    // Workers record into the two stores from their first trial: those must be up too.
    expect(conditions(services.worker!)).toEqual({
      temporal: 'service_healthy',
      'temporal-setup': 'service_completed_successfully',
      records: 'service_healthy',
      artifacts: 'service_healthy',
    });
    for (const name of ['postgresql', 'temporal', 'worker']) expect(services[name]!.healthcheck).toBeDefined();
  });

  test('publishes the frontend on 7233 and the UI on 8080, both movable', () => {
    expect(ports(services.temporal!)).toEqual({ 7233: '7233' });
    expect(ports(services.ui!)).toEqual({ 8080: '8080' });
    expect(ports(render({ TEMPORAL_UI_PORT: '9090' }).ui!)).toEqual({ 9090: '8080' });
  });

  test('records (PostgreSQL) and artifacts (SeaweedFS S3) are published, movable, health-checked and keep their data', () => {
    expect(services.records!.image).toBe('postgres:16');
    expect(services.records!.environment).toMatchObject({ POSTGRES_DB: 'autoagent', POSTGRES_USER: 'autoagent' });
    expect(services.artifacts!.image).toMatch(/^chrislusf\/seaweedfs:/);
    expect(services.artifacts!.command).toEqual(expect.arrayContaining(['server', '-s3', '-s3.port=8333']));
    expect(ports(services.records!)).toEqual({ 5432: '5432' });
    expect(ports(services.artifacts!)).toEqual({ 8333: '8333' });
    const moved = render({ AUTOAGENT_RECORDS_PORT: '15432', AUTOAGENT_ARTIFACTS_PORT: '18333' });
    expect(ports(moved.records!)).toEqual({ 15432: '5432' });
    expect(ports(moved.artifacts!)).toEqual({ 18333: '8333' });
    for (const name of ['records', 'artifacts']) {
      expect((services[name]!.healthcheck as { test: string[] }).test.join(' ')).toMatch(
        name === 'records' ? /pg_isready/ : /8333\/healthz/,
      );
      expect(Object.values(binds(services[name]!))).toEqual([
        name === 'records' ? '/var/lib/postgresql/data' : '/data',
      ]);
    }
    const keys = render({ AUTOAGENT_ARTIFACTS_ACCESS_KEY: 'ak', AUTOAGENT_ARTIFACTS_SECRET_KEY: 'sk' }).artifacts!
      .environment;
    expect(keys).toMatchObject({ AWS_ACCESS_KEY_ID: 'ak', AWS_SECRET_ACCESS_KEY: 'sk' });
  });

  test('worker: built from deploy/worker.Dockerfile, talks to temporal:7233 unless told otherwise', () => {
    const w = services.worker!;
    expect(w.build).toMatchObject({
      dockerfile: 'deploy/worker.Dockerfile',
      args: { NODE_IMAGE: 'node:20-bookworm-slim' },
    });
    expect(w.command).toEqual(['worker']);
    expect(w.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(render({ TEMPORAL_ADDRESS: 'server.lan:7233' }).worker!.environment?.TEMPORAL_ADDRESS).toBe(
      'server.lan:7233',
    );
  });

  test('worker: the host Docker socket and its own bundle cache, no shared workspace; the stores by variables', () => {
    const w = services.worker!;
    const b = binds(w);
    expect(b['/var/run/docker.sock']).toBe('/var/run/docker.sock');
    // Nothing else from the host: the only other mount is the worker's own named cache volume.
    expect(Object.keys(b).filter((src) => src !== '/var/run/docker.sock')).toEqual(['autoagent-worker-cache']);
    expect(w.working_dir).toBeUndefined();
    expect(w.environment).toMatchObject({
      AUTOAGENT_STORE: 'postgres://autoagent:autoagent@records:5432/autoagent',
      AUTOAGENT_ARTIFACTS: 's3://autoagent/campaigns',
      AWS_ENDPOINT_URL: 'http://artifacts:8333',
      AUTOAGENT_CACHE_DIR: '/var/cache/autoagent/bundles',
    });
    const elsewhere = render({
      AUTOAGENT_STORE: 'postgres://u:p@db.lan:5432/aa',
      AUTOAGENT_ARTIFACTS: 's3://team-bucket/aa',
      AWS_ENDPOINT_URL: 'https://s3.example',
    }).worker!.environment;
    expect(elsewhere).toMatchObject({
      AUTOAGENT_STORE: 'postgres://u:p@db.lan:5432/aa',
      AUTOAGENT_ARTIFACTS: 's3://team-bucket/aa',
      AWS_ENDPOINT_URL: 'https://s3.example',
    });
  });

  test("worker: the API key comes only from the caller's environment, never from the file", () => {
    expect(readFileSync(COMPOSE_FILE, 'utf8')).not.toMatch(/sk-ant-/);
    expect(services.worker!.environment?.ANTHROPIC_API_KEY ?? null).toBeNull();
    const env = render({ ANTHROPIC_API_KEY: 'test-key-from-env', ANTHROPIC_BASE_URL: 'http://llm.lan:8000' }).worker!
      .environment!;
    expect(env.ANTHROPIC_API_KEY).toBe('test-key-from-env');
    expect(env.ANTHROPIC_BASE_URL).toBe('http://llm.lan:8000');
  });

  test('temporal-setup registers exactly the search attributes the workflows upsert', () => {
    const pairs = (services['temporal-setup']!.environment?.AUTOAGENT_SEARCH_ATTRIBUTES ?? '').split(/\s+/).sort();
    const expected = SEARCH_ATTRIBUTE_KEYS.map(
      (k) => `${k.name}=${k.type.charAt(0)}${k.type.slice(1).toLowerCase()}`,
    ).sort();
    expect(pairs).toEqual(expected);
  });

  test('every file the services mount or run exists, and the shell scripts parse', () => {
    for (const s of Object.values(services)) {
      for (const src of Object.keys(binds(s)).filter((p) => p.startsWith(ROOT))) expect(existsSync(src)).toBe(true);
    }
    const dyn = services.temporal!.environment?.DYNAMIC_CONFIG_FILE_PATH ?? '';
    expect(existsSync(path.join(ROOT, 'deploy/temporal/dynamicconfig', path.basename(dyn)))).toBe(true);
    for (const name of ['temporal-schema', 'temporal-setup']) {
      const script = (services[name]!.entrypoint as string[])[1]!.replace('/autoagent/', 'deploy/temporal/');
      execFileSync('sh', ['-n', path.join(ROOT, script)]);
    }
    execFileSync('bash', ['-n', path.join(ROOT, 'deploy/standin-node-image.sh')]);
  });
});

describe('deploy/worker.Dockerfile', () => {
  const text = readFileSync(path.join(ROOT, 'deploy/worker.Dockerfile'), 'utf8');

  test('base image is overridable, defaulting to node:20-bookworm-slim; runs the compiled CLI', () => {
    expect(text.split('\n').find((l) => /^(ARG|FROM) /.test(l))).toBe('ARG NODE_IMAGE=node:20-bookworm-slim');
    for (const from of text.split('\n').filter((l) => l.startsWith('FROM ')))
      expect(from).toMatch(/^FROM \$\{NODE_IMAGE\}/);
    expect(text).toContain('ENTRYPOINT ["node", "/app/dist/src/cli/main.js"]');
  });

  test('every COPY from the build context exists and is not excluded by .dockerignore', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const sources = text
      .split('\n')
      .filter((l) => /^COPY (?!--from)/.test(l))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const src of sources) {
      expect(existsSync(path.join(ROOT, src))).toBe(true);
      expect(ignored.filter((pattern) => src === pattern || src.startsWith(`${pattern}/`))).toEqual([]);
    }
    for (const mustStayOut of ['**/node_modules', 'dist', '.env', '.git']) expect(ignored).toContain(mustStayOut);
  });
});

describe('against a real Temporal dev server', () => {
  const cli = findTemporalBinary();
  let server: DevServer;
  let dir: string;

  beforeAll(async () => {
    if (!cli)
      throw new Error(
        'no Temporal CLI: set TEMPORAL_CLI_PATH or put `temporal` on PATH (scripts/setup.sh installs it)',
      );
    dir = mkdtempSync(path.join(os.tmpdir(), 'aa-compose-'));
    server = await startDevServer({ dbFile: path.join(dir, 'temporal.sqlite') });
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const setup = (namespace: string) =>
    run('sh', [path.join(ROOT, 'deploy/temporal/setup-namespace.sh')], {
      env: {
        PATH: `${path.dirname(cli!)}${path.delimiter}${process.env.PATH ?? ''}`,
        HOME: dir,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: namespace,
        AUTOAGENT_SEARCH_ATTRIBUTES: render()['temporal-setup']!.environment!.AUTOAGENT_SEARCH_ATTRIBUTES!,
      },
    });

  test('setup-namespace.sh creates the namespace and registers typed attributes; a re-run changes nothing', async () => {
    const first = await setup('autoagent-compose');
    expect(first.stdout).toContain('namespace autoagent-compose created');
    const conn = await Connection.connect({ address: server.address });
    try {
      const res = await conn.operatorService.listSearchAttributes({ namespace: 'autoagent-compose' });
      const T = temporal.api.enums.v1.IndexedValueType;
      expect(res.customAttributes).toMatchObject({
        AutoAgentCampaign: T.INDEXED_VALUE_TYPE_KEYWORD,
        AutoAgentGeneration: T.INDEXED_VALUE_TYPE_INT,
        AutoAgentBestScore: T.INDEXED_VALUE_TYPE_DOUBLE,
      });
    } finally {
      await conn.close();
    }
    const second = await setup('autoagent-compose');
    expect(second.stdout).toContain('namespace autoagent-compose exists');
    expect(second.stdout.match(/search attribute \w+ exists/g)).toHaveLength(3);
  });

  test('worker healthcheck: healthy with both ends up, names the end that is down', async () => {
    const check = (env: Record<string, string>) =>
      run('node', [path.join(ROOT, 'deploy/worker-healthcheck.js')], { env: { PATH: process.env.PATH ?? '', ...env } })
        .then(() => ({ code: 0, stderr: '' }))
        .catch((e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
    expect(await check({ TEMPORAL_ADDRESS: server.address })).toEqual({ code: 0, stderr: '' });
    const closed = `127.0.0.1:${await freePort()}`;
    const down = await check({ TEMPORAL_ADDRESS: closed });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`temporal at ${closed}`);
    const noEngine = await check({ TEMPORAL_ADDRESS: server.address, DOCKER_SOCKET_PATH: path.join(dir, 'no.sock') });
    expect(noEngine.code).toBe(1);
    expect(noEngine.stderr).toContain('docker engine');
  });
});
