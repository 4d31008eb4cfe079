/**
 * The report's Pareto view and merge lineage (src/report/pareto.ts, candidates.ts, summary.ts): score
 * against USD and tokens per task with the non-dominated candidates marked in each plane, a merge's two
 * parents, and a "best" that follows the campaign's objective.
 */
import fs from 'node:fs';
import { extractReportData, readSnapshot } from '../../src/report/data';
import { nonDominated } from '../../src/report/pareto';
import { openStore } from '../../src/store/store';
import { CAMPAIGN, DEAR, MERGED, PRICEY, SEED, TERSE, writeParetoCampaign } from '../browser/pareto-fixture';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function report(objective?: { score: number; costUsd: number }) {
  const dir = await writeParetoCampaign(objective ? { objective } : {});
  dirs.push(dir);
  const store = await openStore(dir);
  try {
    return extractReportData(await readSnapshot(store, CAMPAIGN), { now: new Date('2025-06-02T00:00:00Z') });
  } finally {
    await store.close();
  }
}

test('non-dominated on (score up, cost down): equal points do not knock each other out', () => {
  expect(
    nonDominated([
      { score: 1, cost: 2 },
      { score: 0.5, cost: 1 },
      { score: 0.5, cost: 3 },
      { score: 1, cost: 2 },
    ]),
  ).toEqual([true, true, false, true]);
  expect(nonDominated([])).toEqual([]);
});

test('every scored candidate is placed by its cost and tokens per task; the fronts are marked', async () => {
  const data = await report();
  const byId = Object.fromEntries(data.pareto.map((p) => [p.candidateId, p]));
  expect(Object.keys(byId).sort()).toEqual([DEAR, MERGED, PRICEY, SEED, TERSE].sort());
  expect(byId[PRICEY]).toMatchObject({ train: 2 / 3, tokensPerTask: 9000, status: 'evaluated' });
  expect(byId[PRICEY]?.costPerTask).toBeCloseTo(0.2, 10);
  expect(byId[MERGED]?.costPerTask).toBeCloseTo(0.1, 10);
  expect(byId[DEAR]?.status).toBe('rejected');
  // USD: the seed is cheapest; terse solves 2 for $0.05 (pricey pays $0.20 for as much); merged solves all 3 for $0.10.
  const costFront = data.pareto
    .filter((p) => p.onCostFront)
    .map((p) => p.candidateId)
    .sort();
  expect(costFront).toEqual([MERGED, SEED, TERSE].sort());
  // Tokens: terse is the lightest (1000) and beats the seed's 2000 at a higher score; merged is best.
  const tokenFront = data.pareto
    .filter((p) => p.onTokensFront)
    .map((p) => p.candidateId)
    .sort();
  expect(tokenFront).toEqual([MERGED, TERSE].sort());
});

test('a merge shows both parents; the best follows the campaign objective', async () => {
  const plain = await report();
  expect(plain.candidates.find((c) => c.id === MERGED)).toMatchObject({ parentId: PRICEY, secondParentId: TERSE });
  expect(plain.candidates.find((c) => c.id === TERSE)?.secondParentId).toBeNull();
  expect(plain.summary.bestId).toBe(MERGED);
  // At λ = 10 a tenth of a dollar per task outweighs a point of score: the seed ($0.01) is the pick.
  expect((await report({ score: 1, costUsd: -10 })).summary.bestId).toBe(SEED);
});
