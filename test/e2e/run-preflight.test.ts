/**
 * `autoagent run` checks the whole campaign before it starts anything (built CLI, real files): train and
 * holdout overlapping, an unknown task name, a task listed twice, an invalid seed harness, a broken task in
 * the benchmark, a missing API key — each exits 2 at once naming the file and field, and leaves nothing
 * behind (no .autoagent folder: no store, no Temporal server). Before, `run` started the server and the
 * workflow, then failed 15–37 s later with exit 1 and "Workflow execution failed".
 * Also: two `run`s of one campaign started at the same moment — the second says who is starting it and
 * attaches, instead of a raw Temporal error. Needs Docker and TEMPORAL_CLI_PATH: fails (never skips) without.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeReply,
  type RecordedRequest,
} from '../support/fake-anthropic';
import { campaignModel, isMeta, writeCampaign, type CampaignFiles } from './support/campaign-fixture';
import { ensureBuilt, runCli, startCli, temporalCli, waitFor } from './support/cli';
import { processesMentioning, readStore, requireDocker } from './support/inspect';

jest.setTimeout(240_000);

/** Nothing listens there: a run that got as far as calling the model would fail differently. */
const NO_API = 'http://127.0.0.1:9';

describe('autoagent run: check before start', () => {
  let tmp = '';
  const fakes: FakeAnthropic[] = [];
  let release: (() => void) | null = null;

  beforeAll(async () => {
    temporalCli();
    await requireDocker();
    await ensureBuilt();
  }, 240_000);

  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'aa-run-preflight-'));
  });

  afterEach(async () => {
    for (const p of processesMentioning(tmp)) {
      try {
        process.kill(Number(p.split(':')[0]), 'SIGKILL');
      } catch {
        /* exited meanwhile */
      }
    }
    release?.();
    await Promise.all(fakes.splice(0).map((f) => f.close()));
    await rm(tmp, { recursive: true, force: true });
  });

  const campaign = (name: string): Promise<CampaignFiles> =>
    writeCampaign(tmp, { name, train: ['write-alpha', 'write-beta'], holdout: ['write-gamma'], generations: 1, k: 1 });

  /** Rewrites one `key: value` line of campaign.yaml. */
  async function setLine(yaml: string, key: string, value: string): Promise<void> {
    const text = await readFile(yaml, 'utf8');
    await writeFile(yaml, text.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`));
  }

  async function expectRefused(
    files: CampaignFiles,
    mentions: string[],
    env?: Record<string, string | undefined>,
  ): Promise<void> {
    const r = await runCli(['run', files.yaml], { baseUrl: NO_API, env }, 60_000);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    for (const m of mentions) expect(r.stderr).toContain(m);
    expect(r.stderr).not.toMatch(/Workflow execution failed|\n\s+at /);
    // Nothing started, nothing recorded: not even the campaign folder.
    expect(existsSync(path.join(tmp, '.autoagent'))).toBe(false);
  }

  it('refuses train and holdout overlapping, naming holdout[i]', async () => {
    const files = await campaign('overlap');
    await setLine(files.yaml, 'holdout', '[write-gamma, write-alpha]');
    await expectRefused(files, [files.yaml, 'holdout[1]', 'write-alpha', 'also in train']);
  });

  it('refuses an unknown task name and a task listed twice, naming train[i]', async () => {
    const files = await campaign('names');
    await setLine(files.yaml, 'train', '[write-alpha, write-nope, write-alpha]');
    await expectRefused(files, [files.yaml, 'train[1]', 'unknown task "write-nope"', 'train[2]', 'listed twice']);
  });

  it('refuses an invalid seed harness, naming its file and field', async () => {
    const files = await campaign('seed');
    const yaml = path.join(tmp, 'seed', 'harness.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('maxTurns: 6', 'maxTurns: many'));
    await expectRefused(files, [yaml, 'maxTurns']);
  });

  it('refuses a seed harness whose custom tool has an invalid JSON Schema', async () => {
    const files = await campaign('tool');
    const tool = path.join(tmp, 'seed', 'tools', 'peek.yaml');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(tool), { recursive: true }));
    await writeFile(tool, 'description: Peek.\ninput_schema:\n  type: object\n  properties: 5\ncommand: ls\n');
    await expectRefused(files, [tool, 'input_schema.properties']);
  });

  it('refuses a broken task in the benchmark, naming its file', async () => {
    const files = await campaign('badtask');
    const testSh = path.join(files.benchmark, 'write-gamma', 'tests', 'test.sh');
    await unlink(testSh);
    await expectRefused(files, [testSh]);
  });

  it('refuses to start without the API key: names the variable and the local-model example', async () => {
    const files = await campaign('nokey');
    await expectRefused(files, ['ANTHROPIC_API_KEY', 'npx autoagent run examples/local-campaign/campaign.yaml'], {
      ANTHROPIC_API_KEY: undefined,
    });
  });

  it('warns when two tasks of the campaign have identical content', async () => {
    // write-alpha's copy under another name: same bytes, another task (it runs its own trials).
    const files = await campaign('copies');
    const { cp } = await import('node:fs/promises');
    await cp(path.join(files.benchmark, 'write-alpha'), path.join(files.benchmark, 'write-alpha-copy'), {
      recursive: true,
    });
    await setLine(files.yaml, 'holdout', '[write-alpha-copy]');
    // Stop right after the warnings: no key is bad input too (and the warning comes first).
    const r = await runCli(['run', files.yaml], { baseUrl: NO_API, env: { ANTHROPIC_API_KEY: undefined } }, 60_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `autoagent: warning: ${files.yaml}: tasks write-alpha, write-alpha-copy have identical content`,
    );
    expect(r.stderr.indexOf('identical content')).toBeLessThan(r.stderr.indexOf('ANTHROPIC_API_KEY'));

    // An unknown provider is bad input, named where it was written.
    await setLine(files.yaml, 'taskModel', 'nope/model');
    const r2 = await runCli(['run', files.yaml], { baseUrl: NO_API }, 60_000);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${files.yaml}: taskModel: unknown provider "nope"`);
    expect(existsSync(path.join(tmp, '.autoagent'))).toBe(false);
  });

  it('two runs started at the same moment: the second says who is starting it and attaches (no raw Temporal error)', async () => {
    // Hold every task-agent reply: the campaign stays in its baseline while both CLIs are inspected.
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    release = open;
    const held: RecordedRequest[] = [];
    const model = campaignModel();
    const fake = await startFakeAnthropic(async (req: RecordedRequest): Promise<FakeReply> => {
      if (!isMeta(req)) {
        held.push(req);
        await gate;
      }
      return model(req);
    });
    fakes.push(fake);
    const files = await writeCampaign(tmp, {
      name: 'twice',
      train: ['write-alpha'],
      holdout: [],
      generations: 0,
      k: 1,
    });
    const a = startCli(['run', files.yaml], { baseUrl: fake.url });
    const b = startCli(['run', files.yaml], { baseUrl: fake.url });
    await waitFor('a trial of the campaign in its agent loop', () => held.length > 0, 180_000);
    const owner = JSON.parse(readFileSync(path.join(files.campaignDir, 'run.lock'), 'utf8')) as Record<string, string>;
    const [starter, second] = Number(owner['autoagent.pid']) === a.child.pid ? [a, b] : [b, a];
    // Whichever reaches the server first starts the workflow; the other attaches to it.
    await waitFor(
      'the second run to attach',
      () => /campaign twice: (started|running)/.test(second.stderr()),
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nstarter: ${starter.stderr()}\nsecond: ${second.stderr()}`);
    });
    expect(second.stderr()).toMatch(
      new RegExp(
        `campaign twice is already being started or running \\(by pid ${starter.child.pid}\\): waiting to attach|attaching to the running embedded server of twice \\(pid ${starter.child.pid}\\)`,
      ),
    );
    // Ctrl-C of the attached one leaves the campaign to its starter, which completes it.
    second.child.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    open();
    expect(await starter.exited).toEqual({ code: 0, signal: null });
    for (const p of [starter, second]) expect(p.stderr()).not.toMatch(/autoagent: (?!warning)|Error:|\n\s+at /);
    expect((await readStore(files.campaignDir, 'twice')).trials).toHaveLength(1);
  });
});
