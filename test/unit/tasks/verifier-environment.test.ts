import { parseTaskToml } from '../../../src/tasks/config';
import type { Task } from '../../../src/tasks/types';
import { hasOwnVerifierImage, verifierEnvironmentOf } from '../../../src/tasks/verifier-environment';

const taskWith = (toml: string, verifierDockerfile: string | null = null): Task => ({
  name: 't',
  dir: '/t',
  hash: 'h',
  instruction: 'i',
  config: parseTaskToml(toml, '/t/task.toml'),
  paths: {
    taskToml: '/t/task.toml',
    instruction: '/t/instruction.md',
    environmentDir: '/t/environment',
    dockerfile: '/t/environment/Dockerfile',
    testsDir: '/t/tests',
    verifierDockerfile,
    testScript: '/t/tests/test.sh',
    solutionDir: null,
    solveScript: null,
  },
});

test('[verifier.environment] implies separate mode and brings its own resources and image', () => {
  const t = taskWith('[environment]\nmemory_mb = 512\n[verifier.environment]\ndocker_image = "v:1"\nmemory_mb = 128\n');
  expect(t.config.verifier.environmentMode).toBe('separate');
  const v = verifierEnvironmentOf(t);
  expect(v.config.environment).toMatchObject({ dockerImage: 'v:1', memoryMb: 128 });
  expect(v.paths.dockerfile).toBeNull();
  expect(hasOwnVerifierImage(t)).toBe(true);
});

test('tests/Dockerfile: built from tests/, under its own image name', () => {
  const t = taskWith('[verifier]\nenvironment_mode = "separate"\n', '/t/tests/Dockerfile');
  const v = verifierEnvironmentOf(t);
  expect(v).toMatchObject({
    name: 't-verifier',
    paths: { environmentDir: '/t/tests', dockerfile: '/t/tests/Dockerfile' },
  });
  expect(v.config.environment.dockerImage).toBeNull();
});

test("neither: a fresh copy of the task's own environment and image", () => {
  const t = taskWith('[environment]\nmemory_mb = 300\n[verifier]\nenvironment_mode = "separate"\n');
  expect(hasOwnVerifierImage(t)).toBe(false);
  expect(verifierEnvironmentOf(t).config.environment).toEqual(t.config.environment);
  expect(verifierEnvironmentOf(t).paths).toEqual(t.paths);
});

test('a verifier environment with environment_mode = "shared" is an error naming the field', () => {
  expect(() =>
    parseTaskToml('[verifier]\nenvironment_mode = "shared"\n[verifier.environment]\nmemory_mb = 128\n', '/t/task.toml'),
  ).toThrow(/task\.toml: \[verifier\]\.environment: conflicts with environment_mode = "shared"/);
  expect(() => parseTaskToml('[verifier.environment]\nmemory_mb = "lots"\n', '/t/task.toml')).toThrow(
    /\[verifier\]\.environment\.memory_mb: expected megabytes/,
  );
});
