import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildReportData, extractReportData, readSnapshot } from '../../src/report/data';
import { ReportError } from '../../src/report/errors';
import { generateReport } from '../../src/report/generate';
import { packTrajectories } from '../../src/report/trajectories';
import { openStore, type CampaignStore } from '../../src/store/store';
import { BAD, CAMPAIGN, GOOD, SEED, commandFor, recordTrial, writeDemoCampaign } from '../browser/campaign-fixture';

const dirs: string[] = [];
const demo = async (complete = true): Promise<string> => {
  const d = await writeDemoCampaign({ complete });
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const withStore = async <T>(dir: string, f: (s: CampaignStore) => T | Promise<T>): Promise<T> => {
  const s = await openStore(dir);
  try {
    return await f(s);
  } finally {
    await s.close();
  }
};

describe('report data', () => {
  it('summarises best train / holdout, the gap and the improvement over the seed', async () => {
    const d = await withStore(await demo(), (s) => buildReportData(s, { now: new Date('2025-06-02T00:00:00Z') }));
    const s = d.summary;
    expect(d.campaign).toBe(CAMPAIGN);
    expect(s.bestId).toBe(GOOD);
    expect(s.bestTrain).toBeCloseTo(2 / 3);
    expect(s.bestHoldout).toBeCloseTo(0.5);
    expect(s.gap).toBeCloseTo(2 / 3 - 0.5);
    expect(s.seedId).toBe(SEED);
    expect(s.improvementTrain).toBeCloseTo(1 / 3);
    expect(s.improvementHoldout).toBeCloseTo(0.5);
    expect(s.trialsDone).toBe(13);
    expect(s.spendUsd).toBeCloseTo(13 * 0.01 + 2 * 0.02);
    expect(s.budget).toEqual({ usd: 5, trials: 100 });
    expect(s.phase).toBe('done');
    expect(s.stopReason).toBe('max generations reached');
    expect(s.generation).toBe(1);
    expect(s.counts).toEqual({ evaluated: 2, rejected: 1, invalid: 0, running: 0 });
    // 13 trials 30 s apart on the store clock, interleaved with other writes: a positive, finite pace.
    expect(s.trialsPerMin).toBeGreaterThan(0);
  });

  it("takes a finished campaign's pick from its completed event (a stepping stone may be it)", async () => {
    const dir = await demo();
    // The rejected BAD stands in for a stone the campaign shipped: the report follows the campaign's pick.
    await withStore(dir, (s) =>
      s.appendEvent(CAMPAIGN, 'completed', {
        stopReason: 'max generations reached',
        best: { candidateId: BAD, trainScore: 0, holdoutScore: null },
      }),
    );
    const s = (await withStore(dir, (st) => buildReportData(st))).summary;
    expect(s.bestId).toBe(BAD);
    expect(s.bestTrain).toBe(0); // its stored train score, whatever the event says
    // A pick the store does not know falls back to the best accepted candidate.
    await withStore(dir, (st) =>
      st.appendEvent(CAMPAIGN, 'completed', { stopReason: 'x', best: { candidateId: 'nobody' } }),
    );
    expect((await withStore(dir, (st) => buildReportData(st))).summary.bestId).toBe(GOOD);
  });

  it('splits train and holdout tasks and gives each candidate its delta vs parent and its diff', async () => {
    const d = await withStore(await demo(), (s) => buildReportData(s));
    expect(d.tasks).toEqual({ train: ['t-a', 't-b', 't-c'], holdout: ['h-x', 'h-y'], identical: [] });
    const by = Object.fromEntries(d.candidates.map((c) => [c.id, c]));
    expect(by[SEED]?.delta).toBeNull();
    expect(by[GOOD]?.delta).toBeCloseTo(1 / 3);
    expect(by[BAD]?.delta).toBeCloseTo(-1 / 3);
    expect(by[BAD]?.holdout).toBeNull();
    expect(by[GOOD]?.diff).toContain('+Always run the tests before you finish.');
    expect(by[SEED]?.diff).toBeNull();
    expect(by[GOOD]?.trials).toBe(5);
    expect(
      d.trials
        .filter((t) => t.split === 'holdout')
        .map((t) => t.task)
        .sort(),
    ).toEqual(['h-x', 'h-x', 'h-y', 'h-y']);
  });

  it('says which tasks have identical content (a holdout byte copy of a train task)', async () => {
    const dir = await demo();
    await withStore(dir, async (s) => {
      await s.appendEvent(CAMPAIGN, 'prepared', {
        trainTasks: ['t-a', 't-b', 't-c'],
        holdoutTasks: ['h-x', 'h-y', 'h-copy'],
        taskHashes: {
          't-a': 'hash-t-a',
          't-b': 'hash-t-b',
          't-c': 'hash-t-c',
          'h-x': 'hash-h-x',
          'h-y': 'hash-h-y',
          'h-copy': 'hash-t-b',
        },
      });
    });
    expect((await withStore(dir, (s) => buildReportData(s))).tasks.identical).toEqual([['h-copy', 't-b']]);
  });

  it('marks the tasks each child fixed or broke against its parent', async () => {
    const d = await withStore(await demo(), (s) => buildReportData(s));
    const flips = d.heat
      .filter((h) => h.flip !== 0)
      .map((h) => `${h.candidateId}:${h.split}:${h.task}:${h.flip}`)
      .sort();
    expect(flips).toEqual([`${BAD}:train:t-a:-1`, `${GOOD}:holdout:h-x:1`, `${GOOD}:train:t-b:1`].sort());
    expect(d.heat.filter((h) => h.candidateId === SEED).every((h) => h.flip === 0)).toBe(true);
  });

  it('shows trials of a not-yet-recorded candidate as running, with its proposal as parent', async () => {
    const dir = await demo(false);
    const d = await withStore(dir, async (s) => {
      await s.recordProposal({
        proposalId: 'p-new',
        campaign: CAMPAIGN,
        generation: 2,
        parentId: GOOD,
        candidateId: 'h-new',
        status: 'ok',
        error: null,
        rationale: 'try again',
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 },
      });
      await recordTrial(s, 'h-new', 't-a', 1);
      return buildReportData(s);
    });
    const running = d.candidates.find((c) => c.id === 'h-new');
    expect(running).toMatchObject({ status: 'running', parentId: GOOD, generation: 2, train: 1, trials: 1 });
    expect(running?.delta).toBeCloseTo(1 / 3);
    expect(d.summary.phase).toBe('generation');
    expect(d.summary.bestHoldout).toBeNull();
    expect(d.summary.gap).toBeNull();
  });

  it('changes version when a trial is recorded', async () => {
    const dir = await demo();
    const before = await withStore(dir, async (s) => (await buildReportData(s)).version);
    const after = await withStore(dir, async (s) => {
      await recordTrial(s, GOOD, 't-c', 1, 1);
      return (await buildReportData(s)).version;
    });
    expect(after).not.toBe(before);
  });

  it('is pure over a snapshot: same snapshot, same data', async () => {
    const snap = await withStore(await demo(), (s) => readSnapshot(s, CAMPAIGN));
    const now = new Date('2025-06-02T00:00:00Z');
    expect(extractReportData(snap, { now })).toEqual(extractReportData(snap, { now }));
  });

  it('refuses an unknown campaign, naming the store file', async () => {
    const dir = await demo();
    await expect(withStore(dir, (s) => buildReportData(s, { campaign: 'nope' }))).rejects.toThrow(ReportError);
    await expect(withStore(dir, (s) => buildReportData(s, { campaign: 'nope' }))).rejects.toThrow(
      /store\.sqlite: no campaign "nope"/,
    );
  });
});

describe('report trajectories and file', () => {
  it('packs each trajectory gzipped, with its tool calls and verifier output, and caps large ones', async () => {
    const dir = await demo();
    const trials = await withStore(dir, (s) => s.listTrials(CAMPAIGN, { candidateId: GOOD, task: 't-b' }));
    const packed = await withStore(dir, (s) => packTrajectories(s, trials));
    const payload = JSON.parse(gunzipSync(Buffer.from(packed.packed[trials[0]!.trialId]!, 'base64')).toString('utf8'));
    expect(payload.trajectory.steps[2].tool_calls[0].arguments.command).toBe(commandFor(GOOD, 't-b'));
    expect(payload.verifier.output).toBe('PASSED all checks');
    expect(payload.verifierLog).toBe('verifier log for t-b');
    const capped = await withStore(dir, (s) => packTrajectories(s, trials, 200));
    expect(capped.omitted).toBe(1);
    const small = JSON.parse(gunzipSync(Buffer.from(capped.packed[trials[0]!.trialId]!, 'base64')).toString('utf8'));
    expect(small.trajectory).toBeNull();
    expect(small.omitted).toMatch(/too large to inline/);
  });

  it('writes one self-contained HTML file with no external references', async () => {
    const dir = await demo();
    const r = await generateReport(dir);
    expect(r.file).toBe(path.join(dir, 'report.html'));
    const html = fs.readFileSync(r.file, 'utf8');
    expect(r.trials).toBe(13);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)|https?:\/\/cdn/i);
    expect(html).toContain('uPlot');
    expect(html).toContain('Diff2Html');
    expect(html.match(/type="application\/gzip-base64"/g)).toHaveLength(13);
    // A `</script>` inside data must not close the data element early.
    expect(html.split('<script type="application/json" id="aa-data">')[1]?.split('</script>')[0]).not.toContain('<');
  });

  it('refuses a folder without a store, and does not create one', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aa-empty-'));
    dirs.push(empty);
    await expect(generateReport(empty)).rejects.toThrow(/no campaign store here/);
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
