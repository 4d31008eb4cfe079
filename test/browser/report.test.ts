/**
 * The report in a real browser (headless Chromium): the offline file renders the campaign's real numbers,
 * selecting a candidate shows its diff, a trial opens its trajectory with searchable steps; the live
 * `ui` server answers and follows new trials. Saves screenshots for the docs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateReport } from '../../src/report/generate';
import { startReportServer, type ReportServer } from '../../src/report/server';
import { openStore } from '../../src/store/store';
import { BAD, GOOD, commandFor, recordTrial, trialResult, writeDemoCampaign } from './campaign-fixture';
import { launchChromium, watchErrors } from './chromium';

const ROOT = path.resolve(__dirname, '../..');
let browser: Browser;
const dirs: string[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const demo = async (): Promise<string> => {
  const d = await writeDemoCampaign();
  dirs.push(d);
  return d;
};

async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(url);
  try {
    await page.waitForSelector('body[data-rendered="true"]', { state: 'attached', timeout: 15_000 });
  } catch (err) {
    throw new Error(`the page did not render: ${(err as Error).message}\n${errors.join('\n')}`);
  }
  return { page, errors };
}

/** Polls `f` until it returns `want` (or the timeout passes) and returns the last value, for expect(). */
async function until<T>(f: () => Promise<T>, want: T, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await f();
  while (last !== want && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    last = await f();
  }
  return last;
}

const text = (page: Page, sel: string): Promise<string> => page.locator(sel).first().innerText();
const node = (id: string): string => `#aa-tree .node[data-id="${id}"]`;

describe('offline HTML report', () => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    const dir = await demo();
    const r = await generateReport(dir);
    ({ page, errors } = await openPage(`file://${r.file}`));
  });
  afterAll(() => page?.close());

  it('renders the header numbers, charts and lineage from the campaign', async () => {
    expect(await text(page, '#card-best-train .value')).toBe('0.667');
    expect(await text(page, '#card-best-holdout .value')).toBe('0.500');
    expect(await text(page, '#card-gap .value')).toBe('+0.167');
    expect(await text(page, '#card-improvement .value')).toBe('+0.333 / +0.500');
    expect(await text(page, '#card-trials .value')).toBe('13 / 100');
    expect(await text(page, '#card-spend .value')).toBe('$0.17');
    expect(await text(page, '#card-phase .value')).toBe('done · gen 1');
    expect(await text(page, `${node(GOOD)} .delta`)).toBe('Δ +0.333');
    expect(await text(page, `${node(BAD)} .delta`)).toBe('Δ -0.333');
    expect(await text(page, `${node(BAD)} .badge`)).toBe('rejected');
    // The score chart plots the real candidates: accepted 0.333 and 0.667, rejected 0, holdout 0 and 0.5.
    // (A string, so this Node-typed file needs no DOM types.)
    const series = (await page.evaluate('window.AA.charts[0].data')) as (number | null)[][];
    const vals = (i: number): number[] =>
      (series[i] ?? [])
        .filter((v): v is number => v !== null)
        .map((v) => Math.round(v * 1000) / 1000)
        .sort();
    expect(vals(1)).toEqual([0.333, 0.667]);
    expect(vals(2)).toEqual([0]);
    expect(vals(4)).toEqual([0, 0.5]);
    expect(await page.locator('#aa-score-chart canvas').count()).toBe(1);
    expect(await page.locator('#aa-time-chart canvas').count()).toBe(1);
    // Heatmap: GOOD fixed t-b, BAD broke t-a.
    expect(await page.locator('#aa-heatmap td.flip1').count()).toBe(2);
    expect(await page.locator('#aa-heatmap td.flip-1').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('shows the harness diff of a clicked candidate', async () => {
    await page.click(`${node(BAD)} button.cand`);
    expect(
      await until(() => page.locator('#aa-candidate .d2h-ins').filter({ hasText: 'Never use bash.' }).count(), 1),
    ).toBe(1);
    await page.click(`${node(GOOD)} button.cand`);
    expect(
      await page
        .locator('#aa-candidate .d2h-ins')
        .filter({ hasText: 'Always run the tests before you finish.' })
        .count(),
    ).toBe(1);
    expect(await page.locator('#aa-candidate .d2h-del').filter({ hasText: 'Be brief.' }).count()).toBe(1);
    expect(await page.locator('#aa-candidate tr.trial').count()).toBe(5);
    fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts/report.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('opens a trial trajectory with its tool calls, collapsed outputs and a working search', async () => {
    const trialId = trialResult(GOOD, 't-b', 1).trialId;
    await page.click(`#aa-candidate tr.trial[data-trial="${trialId}"]`);
    await page.waitForSelector('#aa-trajectory .step');
    expect(await text(page, '#aa-trajectory pre.command')).toBe(`$ ${commandFor(GOOD, 't-b')}`);
    expect(await page.locator('#aa-trajectory details.obs[open]').count()).toBe(0);
    expect(await page.locator('#aa-trajectory .step').count()).toBe(4);
    await page.fill('#traj-search', 'All tests pass');
    expect(await until(() => page.locator('#aa-trajectory .step:not(.filtered-out)').count(), 1)).toBe(1);
    expect(await page.locator('#aa-trajectory .step:not(.filtered-out)').getAttribute('data-step')).toBe('4');
    await page.fill('#traj-search', '3 passed');
    expect(await until(() => page.locator('#aa-trajectory details.obs[open]').count(), 1)).toBe(1);
    expect(await text(page, '#aa-trajectory .count')).toMatch(/^1 matches in 1 of 5 steps$/);
    await page.fill('#traj-search', '');
    expect(await until(() => page.locator('#aa-trajectory .step:not(.filtered-out)').count(), 4)).toBe(4);
    await page.keyboard.press('Escape');
    expect(await page.locator('#aa-trajectory').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('live ui server', () => {
  let server: ReportServer;
  let dir: string;
  beforeAll(async () => {
    dir = await demo();
    server = await startReportServer({ dir, port: 0, status: async () => ({ phase: 'generation', paused: true }) });
  });
  afterAll(() => server?.close());

  it('serves data and trajectories read-only on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(server.url + 'data.json');
    const data = (await res.json()) as { summary: { trialsDone: number }; status: unknown };
    // An unchanged store and status answer a conditional poll with 304 and no body.
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect((await fetch(server.url + 'data.json', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect(data.summary.trialsDone).toBe(13);
    expect(data.status).toEqual({ phase: 'generation', paused: true });
    const trialId = trialResult(GOOD, 't-a', 1).trialId;
    const t = (await (await fetch(`${server.url}trajectory/${trialId}`)).json()) as {
      trajectory: { steps: { tool_calls?: { arguments: { command?: string } }[] }[] };
    };
    expect(t.trajectory.steps[2]?.tool_calls?.[0]?.arguments.command).toBe(commandFor(GOOD, 't-a'));
    expect((await fetch(`${server.url}trajectory/nope`)).status).toBe(404);
    expect((await fetch(server.url + 'data.json', { method: 'POST' })).status).toBe(405);
  });

  it('renders live, opens trajectories from the server, and updates after a new trial is recorded', async () => {
    const { page, errors } = await openPage(server.url);
    try {
      expect(await text(page, '#card-trials .value')).toBe('13 / 100');
      expect(await text(page, '#card-phase .sub')).toBe('stopped: max generations reached');
      await page.click(`${node(GOOD)} button.cand`);
      await page.click(`#aa-candidate tr.trial[data-trial="${trialResult(GOOD, 't-c', 0).trialId}"]`);
      await page.waitForSelector('#aa-trajectory pre.command');
      expect(await text(page, '#aa-trajectory pre.command')).toBe(`$ ${commandFor(GOOD, 't-c')}`);
      const store = await openStore(dir);
      try {
        await recordTrial(store, GOOD, 't-c', 1, 1);
      } finally {
        await store.close();
      }
      expect(await until(() => text(page, '#card-trials .value'), '14 / 100', 10_000)).toBe('14 / 100');
      expect(await text(page, '#aa-live')).toMatch(/^live · updated/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
