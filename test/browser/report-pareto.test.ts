/**
 * The Pareto view and merge lineage in a real browser (headless Chromium): the offline report plots every
 * scored candidate against USD and tokens per task, fills the non-dominated ones (per plane) and lists
 * them; clicking a point selects that candidate; a merge names both its parents in the tree and its card.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { generateReport } from '../../src/report/generate';
import { launchChromium, watchErrors } from './chromium';
import { DEAR, MERGED, PRICEY, SEED, TERSE, writeParetoCampaign } from './pareto-fixture';

let browser: Browser;
let page: Page;
let errors: string[];
let dir: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = await writeParetoCampaign();
  const r = await generateReport(dir);
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  errors = watchErrors(page);
  await page.goto(`file://${r.file}`);
  await page.waitForSelector('body[data-rendered="true"]', { state: 'attached', timeout: 15_000 });
});
afterAll(async () => {
  await page?.close();
  await browser?.close();
  if (dir && process.env.KEEP_PARETO_SHOT !== '1') fs.rmSync(dir, { recursive: true, force: true });
});

const ids = (sel: string): Promise<string[]> =>
  page.locator(sel).evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id') ?? '').sort());

test('plots score against USD and tokens per task, marking the non-dominated candidates in each', async () => {
  expect(await page.locator('#aa-pareto svg.pareto-plot').count()).toBe(2);
  expect(await ids('#aa-pareto svg[data-axis="costPerTask"] circle.pt')).toEqual(
    [DEAR, MERGED, PRICEY, SEED, TERSE].sort(),
  );
  expect(await ids('#aa-pareto svg[data-axis="costPerTask"] circle.pt.front')).toEqual([MERGED, SEED, TERSE].sort());
  expect(await ids('#aa-pareto svg[data-axis="tokensPerTask"] circle.pt.front')).toEqual([MERGED, TERSE].sort());
  expect(await page.locator('#aa-pareto svg[data-axis="costPerTask"] path.frontline').count()).toBe(1);
  // The table, best score first: the merge solves all three at $0.10 and 5,000 tokens per task.
  const first = page.locator('#aa-pareto table.pareto tbody tr').first();
  expect(await first.getAttribute('data-id')).toBe(MERGED);
  expect(await first.locator('td').allInnerTexts()).toEqual([
    MERGED.slice(0, 12),
    'accepted',
    '1.000',
    '$0.10',
    '5,000',
    'cost · tokens',
  ]);
  expect(await page.locator(`#aa-pareto tr[data-id="${PRICEY}"] td.marks`).innerText()).toBe('—');
  expect(errors).toEqual([]);
});

test('clicking a point selects its candidate; a merge names both parents', async () => {
  await page.locator(`#aa-pareto svg[data-axis="tokensPerTask"] circle[data-id="${MERGED}"]`).click();
  expect(await page.locator('#aa-candidate h3').innerText()).toBe(`Candidate ${MERGED}`);
  expect(await page.locator('#aa-candidate .facts').innerText()).toContain(
    `parent ${PRICEY.slice(0, 12)} + ${TERSE.slice(0, 12)} (merge)`,
  );
  expect(await page.locator(`#aa-pareto tr.selected`).getAttribute('data-id')).toBe(MERGED);
  // In the lineage the merge sits under the parent it was tested against and names both.
  const merge = page.locator(`#aa-tree .node[data-id="${MERGED}"]`);
  expect(await merge.locator('.merge').innerText()).toBe(`merge of ${PRICEY.slice(0, 12)} + ${TERSE.slice(0, 12)}`);
  expect(await page.locator(`#aa-tree .node[data-id="${PRICEY}"] ~ ul .node[data-id="${MERGED}"]`).count()).toBe(1);
  expect(await page.locator(`#aa-tree .node[data-id="${TERSE}"] ~ ul .node[data-id="${MERGED}"]`).count()).toBe(0);
  await page.locator('#aa-pareto').screenshot({ path: `${dir}/pareto.png` });
  await page.locator(`#aa-pareto tr[data-id="${SEED}"]`).click();
  expect(await page.locator('#aa-candidate h3').innerText()).toBe(`Candidate ${SEED}`);
  expect(await page.locator('#aa-pareto tr.selected').count()).toBe(1);
  expect(errors).toEqual([]);
});
