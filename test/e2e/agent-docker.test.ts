/**
 * The built-in and custom tools against a REAL Docker sandbox (fake Messages API, real SDK): relative
 * paths resolve against the container's working directory, writes create parent folders, edits keep
 * the executable bit, custom tools are installed and get TOOL_ARG_*, and no API key reaches the
 * container. Needs Docker: fails (does not skip) without it.
 */
import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { TrajectoryRecorder } from '../../src/agent/atif/recorder';
import { runHarnessAgent } from '../../src/agent/harness-agent';
import { HarnessConfigSchema, type Harness } from '../../src/harness/schema';
import { createAnthropicClient } from '../../src/llm/client';
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import type { Sandbox } from '../../src/sandbox/types';
import type { Task } from '../../src/tasks/types';
import { startFakeAnthropic, toolUse, type FakeAnthropic } from '../support/fake-anthropic';

const IMAGE = 'debian:bookworm-slim';
const KEY = 'docker-test-secret-91b2';

describe('runHarnessAgent in a Docker sandbox', () => {
  let sandbox: Sandbox | null = null;
  let fake: FakeAnthropic | null = null;
  let harnessDir = '';
  afterAll(async () => {
    await sandbox?.remove();
    await fake?.close();
    if (harnessDir) await rm(harnessDir, { recursive: true, force: true });
  });

  it('runs file, bash and custom tools for real', async () => {
    harnessDir = await mkdtemp(path.join(os.tmpdir(), 'h4-harness-'));
    await mkdir(path.join(harnessDir, 'tools'));
    await writeFile(path.join(harnessDir, 'tools', 'greet.sh'), '#!/bin/sh\necho "hello $TOOL_ARG_WHO"\n');
    await chmod(path.join(harnessDir, 'tools', 'greet.sh'), 0o755);
    const harness: Harness = {
      dir: harnessDir,
      id: 'h-docker',
      config: HarnessConfigSchema.parse({ model: 'claude-haiku-4-5' }),
      systemTemplate: 'sys',
      agents: [],
      files: {},
      warnings: [],
      tools: [
        {
          name: 'greet',
          description: 'Greets.',
          inputSchema: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'] },
          command: '/opt/autoagent/harness/tools/greet.sh',
          timeoutSec: 30,
        },
      ],
    };
    const task = {
      name: 'docker-smoke',
      config: { environment: { cpus: 1, memoryMb: 512, allowInternet: false, workdir: '/app' } },
    } as unknown as Task;
    sandbox = await new DockerSandboxProvider().start(task, { image: IMAGE, trialId: 'h4-agent-docker-test' });

    fake = await startFakeAnthropic([
      { content: [toolUse('write_file', { path: 'sub/dir/run.sh', content: '#!/bin/sh\necho one\n' })] },
      { content: [toolUse('bash', { command: 'chmod 755 sub/dir/run.sh && pwd' })] },
      { content: [toolUse('edit_file', { path: '/app/sub/dir/run.sh', old_string: 'one', new_string: 'two' })] },
      {
        content: [
          toolUse('bash', { command: './sub/dir/run.sh; stat -c %a sub/dir/run.sh' }),
          toolUse('read_file', { path: 'sub/dir/run.sh' }),
        ],
      },
      {
        content: [toolUse('greet', { who: 'docker' }), toolUse('bash', { command: 'env | grep -c ANTHROPIC || true' })],
      },
      { content: [toolUse('finish', { summary: 'ok' })] },
    ]);
    const recorder = new TrajectoryRecorder({ sessionId: 'docker', agentName: 'a', model: harness.config.model });
    const outcome = await runHarnessAgent({
      harness,
      taskName: 'docker-smoke',
      instruction: 'go',
      sandbox,
      recorder,
      deadlineMs: Date.now() + 60_000,
      llm: createAnthropicClient({ apiKey: KEY, baseURL: fake.url }),
    });
    expect(outcome).toMatchObject({ stopReason: 'finished', turns: 6, error: null });
    const results = (i: number): string[] =>
      (
        (fake!.requests[i]!.body as Anthropic.MessageCreateParamsNonStreaming).messages.at(-1)!
          .content as Anthropic.ToolResultBlockParam[]
      ).map((b) => String(b.content));
    expect(results(1)).toEqual(['Wrote 19 bytes to /app/sub/dir/run.sh']);
    expect(results(2)).toEqual(['/app\n[exit code: 0]']);
    expect(results(4)).toEqual(['two\n755\n[exit code: 0]', '#!/bin/sh\necho two\n']);
    expect(results(5)).toEqual(['hello docker\n[exit code: 0]', '0\n[exit code: 0]']);
    expect(JSON.stringify(recorder.toJSON())).not.toContain(KEY);
  }, 120_000);
});
