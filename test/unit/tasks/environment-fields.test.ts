import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTaskToml } from '../../../src/tasks/config';
import { assertSupported, networkPolicy } from '../../../src/tasks/supported';

const parse = (toml: string) => parseTaskToml(toml, '/t/task.toml');
const check = (toml: string): void => assertSupported(parse(toml), '/t/task.toml');

test('network_mode (schema 1.4) and the older allow_internet map to one setting', () => {
  expect(parse('').environment).toMatchObject({ networkMode: 'public', allowInternet: true });
  expect(parse('[environment]\nallow_internet = false\n').environment).toMatchObject({
    networkMode: 'no-network',
    allowInternet: false,
  });
  expect(parse('[environment]\nnetwork_mode = "no-network"\n').environment).toMatchObject({
    networkMode: 'no-network',
    allowInternet: false,
  });
  expect(() => parse('[environment]\nnetwork_mode = "public"\nallow_internet = false\n')).toThrow(
    /\[environment\]\.allow_internet: contradicts network_mode = "public"/,
  );
  expect(() => parse('[environment]\nallowed_hosts = ["pypi.org"]\n')).toThrow(
    /\[environment\]\.allowed_hosts: only valid with network_mode = "allowlist"/,
  );
  expect(() => parse('[environment]\nnetwork_mode = "open"\n')).toThrow(/\[environment\]\.network_mode/);
});

test('env, healthcheck (Harbor defaults), os and gpus are read', () => {
  const e = parse(
    '[environment]\nenv = { FOO = "bar" }\nos = "Linux"\n[environment.healthcheck]\ncommand = "test -f /ready"\n',
  ).environment;
  expect(e).toMatchObject({ env: { FOO: 'bar' }, os: 'linux', gpus: 0 });
  expect(e.healthcheck).toEqual({
    command: 'test -f /ready',
    intervalSec: 5,
    timeoutSec: 30,
    startPeriodSec: 0,
    startIntervalSec: 5,
    retries: 3,
  });
  expect(() => parse('[environment.healthcheck]\ninterval_sec = 1\n')).toThrow(/\[environment\]\.healthcheck\.command/);
});

test('what this runtime cannot give is refused naming the field, not ignored', () => {
  expect(() => check('[environment]\nos = "windows"\n')).toThrow(
    /task\.toml: \[environment\]\.os: "windows" is not supported/,
  );
  expect(() => check('[environment]\nnetwork_mode = "allowlist"\nallowed_hosts = ["pypi.org"]\n')).not.toThrow();
  const prev = process.env.AUTOAGENT_GPUS;
  process.env.AUTOAGENT_GPUS = '0';
  try {
    expect(() => check('[environment]\ngpus = 1\n')).toThrow(
      /\[environment\]\.gpus: 1 GPU\(s\) requested, but this machine has 0/,
    );
    process.env.AUTOAGENT_GPUS = '2';
    expect(() => check('[environment]\ngpus = 1\n')).not.toThrow();
    // gpu_types: checked against AUTOAGENT_GPU_TYPES, never assumed; harmless without GPUs.
    const typed = '[environment]\ngpus = 1\ngpu_types = ["H100", "A100"]\n';
    expect(parse(typed).environment.gpuTypes).toEqual(['H100', 'A100']);
    expect(() => check('[environment]\ngpus = 0\ngpu_types = ["H100"]\n')).not.toThrow();
    expect(() => check(typed)).toThrow(
      /\[environment\]\.gpu_types: \["H100","A100"\] requested, but this machine's GPU types are unknown: set AUTOAGENT_GPU_TYPES/,
    );
    process.env.AUTOAGENT_GPU_TYPES = 'NVIDIA L4, NVIDIA L4';
    expect(() => check(typed)).toThrow(
      /\[environment\]\.gpu_types: .* but this machine has \["NVIDIA L4","NVIDIA L4"\]/,
    );
    process.env.AUTOAGENT_GPU_TYPES = 'NVIDIA H100 80GB HBM3';
    expect(() => check(typed)).not.toThrow();
  } finally {
    if (prev === undefined) delete process.env.AUTOAGENT_GPUS;
    else process.env.AUTOAGENT_GPUS = prev;
    delete process.env.AUTOAGENT_GPU_TYPES;
  }
  expect(() => check('[environment]\nnetwork_mode = "no-network"\n[verifier]\nnetwork_mode = "public"\n')).toThrow(
    /\[verifier\]\.network_mode: "public" differs from the agent's "no-network"/,
  );
  expect(() =>
    check(
      '[environment]\nnetwork_mode = "no-network"\n[verifier]\nnetwork_mode = "public"\nenvironment_mode = "separate"\n',
    ),
  ).not.toThrow();
  expect(() => check('[agent]\nnetwork_mode = "no-network"\n[verifier]\nnetwork_mode = "no-network"\n')).not.toThrow();
});

test('[agent].user and [verifier].user: a name or a uid, read as text; a step overrides them', () => {
  expect(parse('').agent.user).toBeUndefined();
  expect(parse('').verifier.user).toBeUndefined();
  const c = parse(
    '[agent]\nuser = "agent"\n[verifier]\nuser = 1000\n[[steps]]\nname = "one"\n[steps.agent]\nuser = "builder"\n[[steps]]\nname = "two"\n',
  );
  expect(c.agent.user).toBe('agent');
  expect(c.verifier.user).toBe('1000');
  expect(c.steps?.map((s) => [s.agentUser, s.verifierUser])).toEqual([
    ['builder', null],
    [null, null],
  ]);
  expect(() => parse('[agent]\nuser = "two words"\n')).toThrow(/\[agent\]\.user: expected a user name or a uid/);
  expect(() => parse('[verifier]\nuser = -1\n')).toThrow(/\[verifier\]\.user/);
});

test('[[verifier.collect]] hooks (Harbor defaults) and artifacts of a compose service are read; a step adds its own', () => {
  const c = parse(
    [
      'artifacts = ["/app", { source = "/out" }, { source = "/data/dump.sql", service = "db" }, { source = "/x", service = "main" }]',
      '[[verifier.collect]]\ncommand = "pg_dump > /data/dump.sql"\nservice = "db"\nuser = 999',
      '[[verifier.collect]]\ncommand = "sync"',
      '[[steps]]\nname = "one"\nartifacts = [{ source = "/cache/state", service = "cache" }]',
      '[[steps.verifier.collect]]\ncommand = "snapshot"\ntimeout_sec = 5',
      '',
    ].join('\n'),
  );
  expect(c.artifacts).toEqual(['/app', '/out', '/x']);
  expect(c.serviceArtifacts).toEqual([{ service: 'db', source: '/data/dump.sql' }]);
  expect(c.verifier.collect).toEqual([
    { command: 'pg_dump > /data/dump.sql', service: 'db', timeoutSec: 60, user: '999' },
    { command: 'sync', service: 'main', timeoutSec: 60, user: null },
  ]);
  expect(c.steps?.[0]).toMatchObject({
    artifacts: [],
    serviceArtifacts: [{ service: 'cache', source: '/cache/state' }],
    collect: [{ command: 'snapshot', service: 'main', timeoutSec: 5, user: null }],
  });
  expect(parse('').verifier.collect).toEqual([]);
  expect(() => parse('[[verifier.collect]]\nservice = "db"\n')).toThrow(/\[verifier\]\.collect\[0\]\.command/);
  expect(() => parse('artifacts = [{ source = "data", service = "db" }]\n')).toThrow(
    /\[artifacts\]\[0\]\.source: must be an absolute path/,
  );
});

test('allowed_hosts: hostnames, leading wildcards, IPs and CIDR ranges, normalised; URLs, ports and paths refused', () => {
  const c = parse(
    '[environment]\nnetwork_mode = "allowlist"\nallowed_hosts = ["PyPI.org.", "*.pythonhosted.org", "192.0.2.1", "10.0.0.0/8", "2001:db8::/32"]\n[agent]\nnetwork_mode = "allowlist"\nallowed_hosts = ["github.com"]\n',
  );
  expect(c.environment.allowedHosts).toEqual([
    'pypi.org',
    '*.pythonhosted.org',
    '192.0.2.1',
    '10.0.0.0/8',
    '2001:db8::/32',
  ]);
  expect(networkPolicy(c)).toEqual({ mode: 'allowlist', allowedHosts: ['github.com'] });
  expect(networkPolicy(parse('[environment]\nnetwork_mode = "allowlist"\nallowed_hosts = ["a.org"]\n'))).toEqual({
    mode: 'allowlist',
    allowedHosts: ['a.org'],
  });
  expect(networkPolicy(parse(''))).toEqual({ mode: 'public', allowedHosts: [] });
  for (const bad of ['https://pypi.org', 'pypi.org:443', 'pypi.org/simple', 'py*.org', '10.0.0.0/33', ''])
    expect(() => parse(`[environment]\nnetwork_mode = "allowlist"\nallowed_hosts = ["${bad}"]\n`)).toThrow(
      /\[environment\]\.allowed_hosts\[0\]/,
    );
});

test('the allowlist proxy lets through exactly what the list names', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isAllowed } = require('../../../src/sandbox/egress/proxy.js') as {
    isAllowed: (host: string, entries: string[]) => boolean;
  };
  const list = ['pypi.org', '*.pythonhosted.org', '192.0.2.1', '10.0.0.0/8', '2001:db8::/32', '::1'];
  for (const ok of [
    'pypi.org',
    'PYPI.ORG.',
    'files.pythonhosted.org',
    'a.b.pythonhosted.org',
    '192.0.2.1',
    '10.200.3.4',
    '[2001:db8::5]',
    '0:0:0:0:0:0:0:1',
  ])
    expect({ ok, allowed: isAllowed(ok, list) }).toEqual({ ok, allowed: true });
  for (const no of [
    'evil.org',
    'pypi.org.evil.org',
    'xpypi.org',
    'pythonhosted.org',
    'evilpythonhosted.org',
    '192.0.2.2',
    '11.0.0.1',
    '2001:db9::1',
  ])
    expect({ no, allowed: isAllowed(no, list) }).toEqual({ no, allowed: false });
  expect(isAllowed('pypi.org', [])).toBe(false);
});

test('allowlist beside compose services is refused naming the field (one network each)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aa-allow-compose-'));
  mkdirSync(path.join(dir, 'environment'));
  writeFileSync(path.join(dir, 'environment', 'docker-compose.yaml'), 'services:\n  db:\n    image: x\n');
  const file = path.join(dir, 'task.toml');
  const cfg = parse('[environment]\nnetwork_mode = "allowlist"\nallowed_hosts = ["a.org"]\n');
  expect(() => assertSupported(cfg, file)).toThrow(
    /\[environment\]\.network_mode: "allowlist" together with environment\/docker-compose\.yaml services is not supported yet/,
  );
  const phase = parse('[agent]\nnetwork_mode = "allowlist"\nallowed_hosts = ["a.org"]\n');
  expect(() => assertSupported(phase, file)).toThrow(/\[agent\]\.network_mode: "allowlist" together/);
  rmSync(dir, { recursive: true, force: true });
});

test('env templates: ${VAR:-default} is its default (no host value enters a sandbox); ${VAR} alone is refused', () => {
  process.env.AUTOAGENT_TEMPLATE_PROBE = 'host-value';
  try {
    const c = parse(
      '[environment]\nenv = { A = "${AUTOAGENT_TEMPLATE_PROBE:-fallback}", B = "x-${N:-1}-y", C = "plain $HOME" }\n[verifier]\nenv = { D = "${X:-}" }\n',
    );
    expect(c.environment.env).toEqual({ A: 'fallback', B: 'x-1-y', C: 'plain $HOME' });
    expect(c.verifier.env).toEqual({ D: '' });
    expect(() => parse('[environment]\nenv = { KEY = "${AUTOAGENT_TEMPLATE_PROBE}" }\n')).toThrow(
      /\[environment\]\.env\.KEY: \$\{AUTOAGENT_TEMPLATE_PROBE\} names a host variable/,
    );
  } finally {
    delete process.env.AUTOAGENT_TEMPLATE_PROBE;
  }
});

test('fields whose loss would change the result are refused naming them: mcp_servers, tpu, artifact exclude', () => {
  expect(() => parse('[[environment.mcp_servers]]\nname = "fs"\ntransport = "stdio"\ncommand = "x"\n')).toThrow(
    /\[environment\]\.mcp_servers: MCP servers are not supported yet/,
  );
  expect(parse('[environment]\nmcp_servers = []\n').environment.networkMode).toBe('public');
  expect(() => parse('[environment.tpu]\ntype = "v5e"\ntopology = "2x2"\n')).toThrow(
    /\[environment\]\.tpu: TPUs are not supported/,
  );
  expect(() => parse('artifacts = [{ source = "/app", exclude = ["*.log"] }]\n')).toThrow(
    /\[artifacts\]\[0\]\.exclude: exclude patterns are not supported yet/,
  );
  expect(parse('artifacts = [{ source = "/app", destination = "out" }]\n').artifacts).toEqual(['/app']);
});
