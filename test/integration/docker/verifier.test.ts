/**
 * runVerifier in a real sandbox: reward.txt / reward.json, and every failure mode scoring 0 with a reason
 * (no reward file, bad value, timeout); the agent cannot plant a reward or tests before verification.
 */
import { DockerSandboxProvider } from '../../../src/sandbox/provider';
import type { Sandbox } from '../../../src/sandbox/types';
import { runVerifier } from '../../../src/verifier/verify';
import { makeTask, requireDocker } from './support';

const provider = new DockerSandboxProvider();
let box: Sandbox;
const TOML = 'version = "1.0"\n[verifier]\ntimeout_sec = 20\n';

beforeAll(async () => {
  await requireDocker();
  const task = await makeTask();
  const { image } = await provider.ensureImage(task);
  box = await provider.start(task, { image, trialId: `h2-verifier-${process.pid}` });
});
afterAll(async () => box?.remove());

const verifyWith = async (testSh: string, opts: { toml?: string; extraTests?: Record<string, string> } = {}) =>
  runVerifier(box, await makeTask({ testSh, toml: opts.toml ?? TOML, extraTests: opts.extraTests }));

test('reward.txt is read; output, exit code and duration are kept; tests run from /tests', async () => {
  const r = await verifyWith(
    'echo checking; cat /tests/data.txt; echo warn >&2; echo 0.75 > /logs/verifier/reward.txt; exit 1',
    {
      extraTests: { 'data.txt': 'fixture-data' },
    },
  );
  expect(r).toMatchObject({ reward: 0.75, reason: null, exitCode: 1 });
  expect(r.output).toContain('checking');
  expect(r.output).toContain('fixture-data');
  expect(r.output).toContain('--- stderr ---\nwarn');
  expect(r.durationMs).toBeGreaterThan(0);
});

test('reward.json: {"reward": x} or a single numeric field', async () => {
  expect((await verifyWith(`echo '{"reward": 1}' > /logs/verifier/reward.json`)).reward).toBe(1);
  expect((await verifyWith(`echo '{"score": 0.25, "note": "x"}' > /logs/verifier/reward.json`)).reward).toBe(0.25);
  const two = await verifyWith(`echo '{"a": 0.25, "b": 1}' > /logs/verifier/reward.json`);
  expect(two.reward).toBe(0);
  expect(two.reason).toMatch(/^RewardParseError: .*reward.json.*exactly one numeric field/);
});

test('no reward file scores 0 with RewardFileMissingError', async () => {
  const r = await verifyWith('echo nothing written; exit 3');
  expect(r).toMatchObject({ reward: 0, exitCode: 3 });
  expect(r.reason).toBe('RewardFileMissingError: no /logs/verifier/reward.txt or reward.json (test.sh exited 3)');
});

test('an out-of-range or unparsable reward scores 0 with RewardParseError', async () => {
  const high = await verifyWith('echo 1.5 > /logs/verifier/reward.txt');
  expect(high).toMatchObject({ reward: 0 });
  expect(high.reason).toContain('RewardParseError');
  expect(high.reason).toContain('outside [0, 1]');
  const junk = await verifyWith('echo passed > /logs/verifier/reward.txt');
  expect(junk.reward).toBe(0);
  expect(junk.reason).toContain('expected one number');
});

test('a verifier over its timeout scores 0 with VerifierTimeoutError', async () => {
  const t0 = Date.now();
  const r = await verifyWith('echo 1 > /logs/verifier/reward.txt; sleep 600', {
    toml: 'version = "1.0"\n[verifier]\ntimeout_sec = 2\n',
  });
  expect(Date.now() - t0).toBeLessThan(12_000);
  expect(r).toMatchObject({ reward: 0, exitCode: null });
  expect(r.reason).toBe('VerifierTimeoutError: tests/test.sh did not finish within 2s');
});

test('a reward or tests planted by the agent are wiped before the tests run', async () => {
  await box.exec(
    'mkdir -p /logs/verifier /tests && echo 1 > /logs/verifier/reward.txt && echo planted > /tests/evil.txt',
  );
  const r = await verifyWith('ls /tests; test -e /tests/evil.txt && echo 1 > /logs/verifier/reward.txt; true');
  expect(r.reward).toBe(0);
  expect(r.reason).toContain('RewardFileMissingError');
  expect(r.output).not.toContain('evil');
});

test('[verifier].env reaches test.sh', async () => {
  const r = await verifyWith('echo "$H2_LEVEL" > /logs/verifier/reward.txt', {
    toml: 'version = "1.0"\n[verifier.env]\nH2_LEVEL = "0.5"\n',
  });
  expect(r).toMatchObject({ reward: 0.5, reason: null });
});
