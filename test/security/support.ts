/**
 * Helpers for the attack tests: an agent that is just a shell script run in the sandbox (a task's
 * solution standing in for an agent, so no model is needed), built on the Docker suites' task helpers.
 */
import { zeroUsage } from '../../src/llm/usage';
import type { AgentRunner } from '../../src/trial/run-trial';

export { docker, makeTask, requireDocker, tmpDir } from '../integration/docker/support';

/** The default tiny task's tests, but using grep (the tool the grep-replacement attack goes after). */
export const GREP_TEST_SH =
  'if grep -qx hello /app/out.txt 2>/dev/null; then echo 1 > /logs/verifier/reward.txt; else echo 0 > /logs/verifier/reward.txt; fi\n';

export interface ScriptAgent {
  runner: AgentRunner;
  /** What the script printed and its exit code, for asserting the attack was really set up. */
  runs: { exitCode: number | null; stdout: string; stderr: string }[];
}

/** An agent that runs `script` once with bash (as root) and stops, like a solve.sh would. */
export function scriptAgent(script: string, timeoutSec = 120): ScriptAgent {
  const runs: ScriptAgent['runs'] = [];
  const runner: AgentRunner = async ({ sandbox }) => {
    const r = await sandbox.exec(script, { timeoutSec });
    runs.push({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr });
    return { stopReason: 'end_turn', turns: 1, usage: zeroUsage(), error: null, finalMessage: null };
  };
  return { runner, runs };
}
