/**
 * A rejected key, as a user meets it: `autoagent run` (built CLI, embedded Temporal, real Docker, real SDK)
 * with a key the Messages API refuses (401). The campaign pauses with the reason — in the live progress,
 * in `status --json` from another terminal and, once `run` is stopped, in the offline status — and records
 * nothing. Started again with the right key, `run` lifts the fault's pause itself (in embedded mode the key
 * lives in that process) and the campaign completes with the scores the model deserves, no key on disk.
 * Fails (never skips) without Docker or TEMPORAL_CLI_PATH.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { apiKeyOf, FAULTS, startFakeAnthropic, type FakeAnthropic } from '../support/fake-anthropic';
import { campaignModel, writeCampaign } from './support/campaign-fixture';
import { ensureBuilt, jsonLines, runCli, startCli, temporalCli, waitFor } from './support/cli';
import { processesMentioning, readStore, requireDocker } from './support/inspect';

jest.setTimeout(300_000);

const GOOD = 'sk-ant-right-key-4c1e';
const WRONG = 'sk-ant-wrong-key-9b2f';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe('autoagent run with a rejected key', () => {
  let tmp = '';
  let fake: FakeAnthropic | null = null;

  beforeAll(async () => {
    temporalCli();
    await requireDocker();
    await ensureBuilt();
  }, 240_000);

  afterAll(async () => {
    for (const p of processesMentioning(tmp)) {
      try {
        process.kill(Number(p.split(':')[0]), 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
    await fake?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('pauses with the reason and records nothing; run again with the right key, it resumes and completes', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-campaign-faults-'));
    const model = campaignModel();
    fake = await startFakeAnthropic((req) => (apiKeyOf(req.headers) === GOOD ? model(req) : FAULTS.unauthorized));
    const files = await writeCampaign(tmp, {
      name: 'e2e-bad-key',
      train: ['write-alpha', 'write-beta'],
      holdout: ['write-gamma'],
      generations: 1,
      k: 1,
    });
    const cli = (key: string) => ({ baseUrl: fake!.url, env: { ANTHROPIC_API_KEY: key } });

    const first = startCli(['run', files.yaml, '--json'], cli(WRONG));
    type Status = {
      paused: boolean;
      pauseReason: string | null;
      waitingForRetry: { fault?: string } | null;
      spend: { trials: number };
    };
    const pausedLine = await waitFor(
      'a paused status line',
      () =>
        jsonLines(first.stdout())
          .map((l) => l['status'] as Status | undefined)
          .find((s) => s?.paused && s.pauseReason),
      150_000,
    );
    expect(pausedLine.pauseReason).toMatch(
      /^ANTHROPIC_API_KEY was rejected \(401\) for model "claude-sonnet-4-6".*autoagent run/,
    );
    expect(pausedLine).toMatchObject({ waitingForRetry: { fault: 'credential' }, spend: { trials: 0 } });

    // Another terminal sees it too (attaching to the embedded server), in words.
    const status = await runCli(['status', files.yaml], cli(WRONG));
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/PAUSED\s+ANTHROPIC_API_KEY was rejected \(401\)/);
    expect((await readStore(files.campaignDir, 'e2e-bad-key')).trials).toHaveLength(0);

    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
    const offline = await runCli(['status', files.yaml], cli(WRONG));
    expect(offline.stdout).toMatch(/stopped on\s+credential fault: .*ANTHROPIC_API_KEY was rejected/);

    const second = startCli(['run', files.yaml, '--json'], cli(GOOD));
    const { code } = await second.exited;
    expect({ code, stderr: second.stderr() }).toEqual({ code: 0, stderr: expect.stringContaining('resuming it') });
    expect(jsonLines(second.stdout()).at(-1)).toMatchObject({
      type: 'summary',
      generations: 1,
      seed: { trainScore: 0 },
      best: { trainScore: 1, holdoutScore: 1 },
      candidates: { invalid: 0 },
    });
    const s = await readStore(files.campaignDir, 'e2e-bad-key');
    expect(s.trials).toHaveLength(2 + 2 + 2);
    expect(s.trials.every((t) => t.error === null)).toBe(true);
    for (const f of filesUnder(files.campaignDir)) {
      const text = readFileSync(f);
      expect({ f, leak: text.includes(GOOD) || text.includes(WRONG) }).toEqual({ f, leak: false });
    }
  });
});
