/** Aggregates simulated campaigns per strategy, and prints them as a table. */
import type { RunResult } from './campaign';
import type { StrategyName } from './strategies';

export interface Spread {
  mean: number;
  sd: number;
  p10: number;
  p90: number;
}

export interface StrategySummary {
  strategy: StrategyName;
  /** True holdout success of the final pick, over seeds. */
  trueHoldoutSuccess: Spread;
  /** Accepted children that truly hurt / decided children that truly hurt (pooled over seeds). Null: none hurt. */
  falseAcceptanceRate: number | null;
  /** Accepted children that truly hurt / accepted children. Null: none accepted. */
  hurtShareOfAccepted: number | null;
  /**
   * Accepted children truly below the accepted candidate they were tested against (the parent, or a
   * stepping stone's anchor) / accepted children. Null: none accepted.
   */
  belowAnchorShareOfAccepted: number | null;
  /** Children kept as stepping stones per campaign (ours only; 0 for the peers). */
  stonesPerCampaign: number;
  /** Trials spent per campaign (the budget, up to cancelled trials past it). */
  trialsSpent: number;
  /** Children decided per campaign, and trials per decided child. */
  candidatesPerCampaign: number;
  trialsPerCandidate: number;
  acceptedPerCampaign: number;
  /** Share of campaigns whose final pick is a stepping stone, and share whose pick is a stone truly below its parent. */
  stonePickRate: number;
  stonePickHurtRate: number;
  /** Share of campaigns whose final pick is truly worse than the seed on holdout. */
  pickBelowSeedRate: number;
}

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

function spread(xs: readonly number[]): Spread {
  const sorted = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { mean: round(mean), sd: round(sd), p10: round(q(0.1)), p90: round(q(0.9)) };
}

export function summarise(strategy: StrategyName, runs: readonly RunResult[]): StrategySummary {
  const total = (f: (r: RunResult) => number): number => runs.reduce((a, r) => a + f(r), 0);
  const n = Math.max(1, runs.length);
  const hurt = total((r) => r.hurt);
  const accepted = total((r) => r.accepted);
  const decided = total((r) => r.decided);
  return {
    strategy,
    trueHoldoutSuccess: spread(runs.map((r) => r.finalHoldout)),
    falseAcceptanceRate: hurt === 0 ? null : round(total((r) => r.acceptedHurt) / hurt),
    hurtShareOfAccepted: accepted === 0 ? null : round(total((r) => r.acceptedHurt) / accepted),
    belowAnchorShareOfAccepted: accepted === 0 ? null : round(total((r) => r.acceptedBelowAnchor) / accepted),
    stonesPerCampaign: round(total((r) => r.stones) / n, 2),
    trialsSpent: round(total((r) => r.trials) / n, 1),
    candidatesPerCampaign: round(decided / n, 1),
    trialsPerCandidate: round(decided === 0 ? 0 : total((r) => r.trials) / decided, 1),
    acceptedPerCampaign: round(accepted / n, 2),
    stonePickRate: round(total((r) => r.pickIsStone) / n),
    stonePickHurtRate: round(total((r) => r.pickStoneHurt) / n),
    pickBelowSeedRate: round(total((r) => r.pickBelowSeed) / n),
  };
}

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);

export function table(rows: readonly StrategySummary[]): string {
  const head = [
    'strategy',
    'holdout mean',
    'sd',
    'p10..p90',
    'false-accept',
    'hurt/accepted',
    'trials',
    'cands',
    'trials/cand',
    'accepted',
    'stones',
    'stone pick',
    'hurt pick',
    'below seed',
  ];
  const body = rows.map((r) => [
    r.strategy,
    r.trueHoldoutSuccess.mean.toFixed(3),
    r.trueHoldoutSuccess.sd.toFixed(3),
    `${r.trueHoldoutSuccess.p10.toFixed(2)}..${r.trueHoldoutSuccess.p90.toFixed(2)}`,
    pct(r.falseAcceptanceRate),
    pct(r.hurtShareOfAccepted),
    r.trialsSpent.toFixed(0),
    r.candidatesPerCampaign.toFixed(1),
    r.trialsPerCandidate.toFixed(1),
    r.acceptedPerCampaign.toFixed(2),
    r.stonesPerCampaign.toFixed(1),
    pct(r.stonePickRate),
    pct(r.stonePickHurtRate),
    pct(r.pickBelowSeedRate),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
