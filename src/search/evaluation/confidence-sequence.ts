/**
 * Time-uniform confidence sequence for the mean of bounded increments: the normal-mixture boundary of
 * Robbins (1970) in the form of Howard, Ramdas, McAuliffe & Sekhon (2021), "Time-uniform, nonparametric,
 * nonasymptotic confidence sequences", Annals of Statistics 49(2). For increments X_i whose centred values
 * X_i − E[X_i | past] are sub-Gaussian with variance proxy σ² (Hoeffding: σ² = (range/2)² for a range of
 * width `range`), with V_n = n σ² and S_n = Σ (X_i − E[X_i | past]),
 *
 *     P( ∃ n ≥ 1 : |S_n| ≥ sqrt( (V_n + ρ) · log( (V_n + ρ) / (ρ α²) ) ) ) ≤ α      (any ρ > 0),
 *
 * by Ville's inequality on the mixture martingale. Because the bound holds for all n at once, it may be
 * checked after every trial and the evaluation stopped the first time it decides: no optional-stopping
 * penalty. ρ only moves where the boundary is tightest. Pure arithmetic.
 */

/** Half-width on the sum S_n: the two-sided normal-mixture boundary at intrinsic time v = V_n. */
export function mixtureBoundary(v: number, alpha: number, rho: number): number {
  return Math.sqrt((v + rho) * Math.log((v + rho) / (rho * alpha * alpha)));
}

/** ρ making the boundary tightest near intrinsic time `v` (Howard et al. 2021, the normal-mixture tuning). */
function tunedRho(v: number, alpha: number): number {
  const l = 2 * Math.log(1 / alpha);
  return Math.max(v, 1e-6) / (l + Math.log(1 + l));
}

export interface MeanBounds {
  n: number;
  mean: number;
  lower: number;
  upper: number;
}

/**
 * Bounds on the running average of the conditional means after `xs` (increments in a range of width
 * `range`): lower at level `alphaLower`, upper at level `alphaUpper`, each valid uniformly over time.
 */
export function meanBounds(
  xs: readonly number[],
  opts: { range: number; alphaLower: number; alphaUpper: number; tuneAtN: number },
): MeanBounds {
  const n = xs.length;
  if (n === 0) return { n, mean: 0, lower: -Infinity, upper: Infinity };
  const sigma2 = (opts.range / 2) ** 2;
  const v = n * sigma2;
  const width = (alpha: number): number => mixtureBoundary(v, alpha, tunedRho(opts.tuneAtN * sigma2, alpha)) / n;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return { n, mean, lower: mean - width(opts.alphaLower), upper: mean + width(opts.alphaUpper) };
}
