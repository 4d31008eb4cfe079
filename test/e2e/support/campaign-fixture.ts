/**
 * A tiny, fast, real campaign on disk: a benchmark of "write <word> to /app/out.txt" tasks (FROM
 * debian:bookworm-slim, no apt, bash verifier), a seed harness, program.md and campaign.yaml — and the
 * model behind the fake Messages API that makes the search outcome predictable:
 * - the meta-agent (recognised by the meta-harness's system prompt) really edits /workspace/harness with
 *   bash, validates and finishes: from a parent scoring below 1, proposal 0 adds MAGIC (the fix) and the
 *   others change nothing (invalid); from a perfect parent, every proposal adds BREAK (a regression);
 * - the task agent solves its task with bash only when its system prompt carries MAGIC (upper-casing the
 *   word, which fails the verifier, when it also carries BREAK); otherwise it says "done" → reward 0.
 * Task contents never depend on the tmp folder, so their images are built once and reused.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import { text, toolUse, turnOf, type FakeReply, type RecordedRequest } from '../../support/fake-anthropic';

export const MODEL = 'claude-sonnet-4-6';
export const MAGIC = 'Write the requested word to the requested file with bash, then call finish.';
export const BREAK = 'House style: answers are always written in UPPER CASE.';
const META_MARK = 'You are an expert agent engineer';

export interface CampaignSpec {
  name: string;
  train: string[];
  holdout: string[];
  generations: number;
  k: number;
  concurrency?: number;
}

export interface CampaignFiles {
  yaml: string;
  campaignDir: string;
  benchmark: string;
}

/** The word task `name` asks for (the task agent reads it from its instruction, the test knows it). */
export const wordOf = (task: string): string => task.replace(/^write-/, '');

async function writeTask(benchmark: string, name: string): Promise<void> {
  const dir = path.join(benchmark, name);
  await mkdir(path.join(dir, 'environment'), { recursive: true });
  await mkdir(path.join(dir, 'tests'), { recursive: true });
  await writeFile(
    path.join(dir, 'task.toml'),
    [
      'version = "1.0"',
      '',
      '[verifier]',
      'timeout_sec = 30.0',
      '',
      '[agent]',
      'timeout_sec = 120.0',
      '',
      '[environment]',
      'build_timeout_sec = 120.0',
      'cpus = 1',
      'memory_mb = 256',
      'allow_internet = false',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(dir, 'instruction.md'),
    `Write the word "${wordOf(name)}" to /app/out.txt (just the word and a newline).\n`,
  );
  await writeFile(path.join(dir, 'environment/Dockerfile'), 'FROM debian:bookworm-slim\nWORKDIR /app\n');
  await writeFile(
    path.join(dir, 'tests/test.sh'),
    [
      '#!/bin/bash',
      'mkdir -p /logs/verifier',
      `if [ "$(cat /app/out.txt 2>/dev/null)" = "${wordOf(name)}" ]; then echo PASS; echo 1 > /logs/verifier/reward.txt;`,
      'else echo "FAIL: /app/out.txt is not right"; echo 0 > /logs/verifier/reward.txt; fi',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}

/** Writes benchmark/, seed/, program.md and campaign.yaml under `root`. */
export async function writeCampaign(root: string, spec: CampaignSpec): Promise<CampaignFiles> {
  const benchmark = path.join(root, 'benchmark');
  for (const t of [...spec.train, ...spec.holdout]) await writeTask(benchmark, t);
  const seed = path.join(root, 'seed');
  await mkdir(seed, { recursive: true });
  await writeFile(
    path.join(seed, 'harness.yaml'),
    [
      `model: ${MODEL}`,
      'maxTurns: 6',
      'maxTokens: 1024',
      'thinkingBudget: 0',
      'system: system.md',
      'tools: [bash]',
      'bash:',
      '  timeoutSec: 20',
      '  maxOutputBytes: 4096',
      'orchestration:',
      '  planFirst: false',
      '  verify: null',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(seed, 'system.md'), 'You are a task agent in a Linux sandbox.\n\n{{instruction}}\n');
  await writeFile(path.join(root, 'program.md'), '# Program\n\nMake the task agent solve more tasks.\n');
  const yaml = path.join(root, 'campaign.yaml');
  await writeFile(
    yaml,
    [
      `name: ${spec.name}`,
      'benchmark: benchmark',
      'seedHarness: seed',
      'program: program.md',
      `train: [${spec.train.join(', ')}]`,
      `holdout: [${spec.holdout.join(', ')}]`,
      `taskModel: ${MODEL}`,
      `generations: ${spec.generations}`,
      `proposalsPerGeneration: ${spec.k}`,
      'repeats: 1',
      `concurrency: ${spec.concurrency ?? 2}`,
      'budget:',
      '  usd: 5',
      'seed: 0',
      '',
    ].join('\n'),
  );
  return { yaml, campaignDir: path.join(root, '.autoagent', spec.name), benchmark };
}

const bodyOf = (req: RecordedRequest): Anthropic.MessageCreateParamsNonStreaming =>
  req.body as Anthropic.MessageCreateParamsNonStreaming;
export const systemOf = (req: RecordedRequest): string => JSON.stringify(bodyOf(req).system ?? '');
export const isMeta = (req: RecordedRequest): boolean => systemOf(req).includes(META_MARK);

/** Text of the tool results in a request's last message (what the model was shown). */
export function toolResultsOf(req: RecordedRequest): string {
  const last = bodyOf(req).messages.at(-1);
  if (!last || typeof last.content === 'string') return '';
  return last.content
    .flatMap((b) =>
      b.type === 'tool_result' ? [typeof b.content === 'string' ? b.content : JSON.stringify(b.content)] : [],
    )
    .join('\n');
}

const appendLine = (line: string): string =>
  `cat /workspace/hints.md 2>/dev/null; printf '\\n%s\\n' '${line}' >> /workspace/harness/system.md && tail -n 2 /workspace/harness/system.md`;

function metaReply(req: RecordedRequest): FakeReply {
  const sys = systemOf(req);
  const gen = /Generation (\d+), proposal (\d+)/.exec(sys);
  const score = /mean train score ([\d.]+)/.exec(sys);
  if (!gen) return { error: 'bad_request', message: 'test model: no "Generation n, proposal i" in the meta prompt' };
  const slot = Number(gen[2]);
  const perfect = score !== null && Number(score[1]) >= 1;
  const plan = perfect ? 'break' : slot === 0 ? 'fix' : 'nothing';
  const steps: FakeReply[] = [
    {
      content: [
        text('Reading the hints and editing the harness.'),
        toolUse('bash', {
          command:
            plan === 'fix'
              ? appendLine(MAGIC)
              : plan === 'break'
                ? appendLine(`${BREAK} (variant ${slot})`)
                : 'cat /workspace/hints.md 2>/dev/null; true',
        }),
      ],
    },
    { content: [toolUse('validate_harness', {})] },
    {
      content: [
        toolUse('finish', {
          summary: `${plan}: the task agent never wrote its answer file; told it how (proposal ${slot}).`,
        }),
      ],
    },
  ];
  return steps[turnOf(req)] ?? { error: 'bad_request', message: 'test model: meta script exhausted' };
}

function taskReply(req: RecordedRequest, delayMs: number): FakeReply {
  const sys = systemOf(req);
  const word = /Write the word \\"([a-z]+)\\"/.exec(sys)?.[1];
  if (!word) return { error: 'bad_request', message: 'test model: no word in the task prompt' };
  const turn = turnOf(req);
  if (!sys.includes(MAGIC)) return { content: [text('done')], delayMs };
  const answer = sys.includes(BREAK) ? word.toUpperCase() : word;
  if (turn === 0)
    return {
      content: [toolUse('bash', { command: `printf '%s\\n' '${answer}' > /app/out.txt && cat /app/out.txt` })],
      delayMs,
    };
  return { content: [toolUse('finish', { summary: `wrote ${answer}` })] };
}

/** The fake model: meta-agent and task agent, by request content. `taskDelayMs` slows trials down. */
export function campaignModel(opts: { taskDelayMs?: number } = {}): (req: RecordedRequest) => FakeReply {
  return (req) => (isMeta(req) ? metaReply(req) : taskReply(req, opts.taskDelayMs ?? 0));
}

/** First turns of task-agent conversations: one per trial actually run (cached trials make no call). */
export const taskRuns = (requests: readonly RecordedRequest[]): number =>
  requests.filter((r) => !isMeta(r) && turnOf(r) === 0).length;
