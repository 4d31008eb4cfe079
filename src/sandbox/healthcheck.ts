/**
 * Harbor's `[environment].healthcheck`, with Docker HEALTHCHECK semantics as Harbor runs them
 * (harbor/environments/base.py `run_healthcheck`): the command runs until it exits 0; during the start
 * period failures do not count and it retries every start_interval_sec; after it, `retries` consecutive
 * failures (interval_sec apart) make the environment unhealthy — HealthcheckError, before the agent starts.
 */
import type { Healthcheck } from '../tasks/config';
import { HealthcheckError } from './errors';
import type { Sandbox } from './types';

export async function awaitHealthy(
  box: Sandbox,
  hc: Healthcheck,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): Promise<void> {
  const startPeriodEnd = Date.now() + hc.startPeriodSec * 1000;
  let failures = 0;
  for (;;) {
    const inStartPeriod = Date.now() < startPeriodEnd;
    const r = await box.exec(hc.command, { timeoutSec: Math.max(1, Math.round(hc.timeoutSec)) });
    if (r.exitCode === 0) return;
    if (inStartPeriod) {
      await sleep(hc.startIntervalSec * 1000);
      continue;
    }
    failures++;
    if (failures >= hc.retries) throw new HealthcheckError(hc.command, hc.retries, `${r.stdout}${r.stderr}`);
    await sleep(hc.intervalSec * 1000);
  }
}
