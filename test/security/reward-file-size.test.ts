/**
 * Attack: a huge reward file (300 MB of valid JSON) is read whole into the host process. Reward files
 * are read with a size cap taken from the tar header before any content is buffered
 * (src/sandbox/tar.ts, src/verifier/verify.ts): reward 0 with RewardFileTooLargeError. Every other file
 * copied out of a sandbox is bounded the same way (FileTooLargeError).
 */
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { Task } from '../../src/tasks/types';
import { runTrial } from '../../src/trial/run-trial';
import { makeTask, requireDocker, scriptAgent, tmpDir } from './support';

const provider = new DockerSandboxProvider();
let outDir: string;
let task: Task;
let image: string;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-sec-reward-');
  // 300 MB of spaces, then a valid object: JSON.parse would accept it.
  task = await makeTask({
    name: 'sec-reward-size',
    testSh:
      "head -c 300000000 /dev/zero | tr '\\0' ' ' > /logs/verifier/reward.json; echo '{\"reward\": 1}' >> /logs/verifier/reward.json\n",
  });
  image = (await provider.ensureImage(task)).image;
}, 300_000);

test('a 300 MB reward.json scores 0 with RewardFileTooLargeError and is never buffered on the host', async () => {
  const rssBefore = process.memoryUsage().rss;
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: scriptAgent('true').runner });
  const grown = process.memoryUsage().rss - rssBefore;
  expect(r.reward).toBe(0);
  expect(r.error).toMatch(/^RewardFileTooLargeError: \/logs\/verifier\/reward\.json/);
  expect(r.failure).toMatchObject({ phase: 'verifier', type: 'RewardFileTooLargeError' });
  expect(grown).toBeLessThan(150 * 1024 * 1024); // reading it whole costs > 300 MB
});

test('getFile refuses a file over its cap with FileTooLargeError, and reads one under it', async () => {
  const box = await provider.start(task, { image, trialId: 'sec-getfile-cap' });
  try {
    await box.exec('head -c 2000000 /dev/zero > /tmp/two-mb && echo small > /tmp/small');
    await expect(box.getFile('/tmp/two-mb', { maxBytes: 1_000_000 })).rejects.toMatchObject({
      name: 'FileTooLargeError',
    });
    expect((await box.getFile('/tmp/small', { maxBytes: 1_000_000 }))?.toString()).toBe('small\n');
  } finally {
    await box.remove();
  }
});
