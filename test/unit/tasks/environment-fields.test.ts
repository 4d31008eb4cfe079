import { parseTaskToml } from '../../../src/tasks/config';
import { assertSupported } from '../../../src/tasks/supported';

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
  expect(() => check('[environment]\nnetwork_mode = "allowlist"\nallowed_hosts = ["pypi.org"]\n')).toThrow(
    /\[environment\]\.network_mode: "allowlist" is not supported yet/,
  );
  const prev = process.env.AUTOAGENT_GPUS;
  process.env.AUTOAGENT_GPUS = '0';
  try {
    expect(() => check('[environment]\ngpus = 1\n')).toThrow(
      /\[environment\]\.gpus: 1 GPU\(s\) requested, but this machine has 0/,
    );
    process.env.AUTOAGENT_GPUS = '2';
    expect(() => check('[environment]\ngpus = 1\n')).not.toThrow();
  } finally {
    if (prev === undefined) delete process.env.AUTOAGENT_GPUS;
    else process.env.AUTOAGENT_GPUS = prev;
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
