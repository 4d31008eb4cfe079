/**
 * Attack: processes the agent leaves running forge the reward after (or while) the verifier runs —
 * a detached, double-forked loop that rewrites /logs/verifier/reward.txt once test.sh has written it, and
 * a watcher that rewrites the copied-in tests before bash reads them. Stopped by the isolation step
 * between the agent and the verifier: every process of the agent phase is killed (src/trial/guard.ts).
 */
import { DockerSandboxProvider } from '../../src/sandbox/provider';
import { runTrial } from '../../src/trial/run-trial';
import { makeTask, requireDocker, scriptAgent, tmpDir } from './support';
import type { Task } from '../../src/tasks/types';

const provider = new DockerSandboxProvider();
let outDir: string;
let task: Task;

beforeAll(async () => {
  await requireDocker();
  outDir = await tmpDir('aa-sec-proc-');
  task = await makeTask({ name: 'sec-processes' });
  await provider.ensureImage(task);
}, 300_000);

// Double fork (subshell + setsid + nohup): the writer is reparented to init and in its own session.
const detached = (loop: string): string => `( setsid nohup sh -c '${loop}' >/dev/null 2>&1 & ) ; sleep 0.5`;

test('a detached writer that rewrites reward.txt after test.sh cannot forge the reward', async () => {
  const loop =
    'while :; do if [ -f /logs/verifier/reward.txt ] && [ "$(cat /logs/verifier/reward.txt)" != 1 ]; then echo 1 > /logs/verifier/reward.txt; fi; sleep 0.002; done';
  // The attack must really be live when the agent stops: the writer answers a probe file within 2 s.
  const agent = scriptAgent(
    `${detached(loop)}; mkdir -p /logs/verifier; echo 0 > /logs/verifier/reward.txt; for i in $(seq 1 100); do [ "$(cat /logs/verifier/reward.txt)" = 1 ] && { echo writer-live; break; }; sleep 0.02; done`,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('writer-live');
  expect(r.verifier.exitCode).toBe(0); // test.sh ran and wrote its own verdict (0: out.txt was never written)
  expect(r.reward).toBe(0);
});

test('a watcher that rewrites the copied-in test.sh cannot forge the reward', async () => {
  const forged = 'echo 1 > /logs/verifier/reward.txt';
  const loop = `while :; do for f in /tmp/.autoagent-tests-*/test.sh /tests/test.sh; do [ -f "$f" ] && [ "$(head -c 40 "$f")" != "${forged}" ] && echo "${forged}" > "$f"; done; sleep 0.002; done`;
  const agent = scriptAgent(
    `${detached(loop)}; mkdir -p /tmp/.autoagent-tests-probe; echo x > /tmp/.autoagent-tests-probe/test.sh; for i in $(seq 1 100); do [ "$(cat /tmp/.autoagent-tests-probe/test.sh)" = "${forged}" ] && { echo watcher-live; break; }; sleep 0.02; done; rm -rf /tmp/.autoagent-tests-probe`,
  );
  const r = await runTrial({ task, agent: 'noop', repeat: 1, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('watcher-live');
  expect(r.reward).toBe(0);
});

test('an honest agent that also leaves a harmless background process still gets its reward', async () => {
  const agent = scriptAgent(`echo hello > /app/out.txt; ${detached('while :; do sleep 1; done')}`);
  const r = await runTrial({ task, agent: 'noop', repeat: 2, outDir, provider, runAgent: agent.runner });
  expect(r).toMatchObject({ reward: 1, error: null });
});

test("the daemons an image's ENTRYPOINT starts run for the agent and the tests, and are not the agent's", async () => {
  // As in Harbor tasks that prepare the container in an entrypoint (a local server, /etc/hosts), then exec "$@".
  const withDaemon = await makeTask({
    name: 'sec-entrypoint-daemon',
    dockerfile: [
      'FROM debian:bookworm-slim',
      'WORKDIR /app',
      `RUN printf '#!/bin/sh\\nmkdir -p /srv && (while :; do date +%%s > /srv/beat; sleep 0.2; done) &\\nexec "$@"\\n' > /entrypoint.sh && chmod +x /entrypoint.sh`,
      'ENTRYPOINT ["/entrypoint.sh"]',
      '',
    ].join('\n'),
    testSh:
      'a=$(cat /srv/beat); sleep 1.5; b=$(cat /srv/beat); if [ "$a" != "$b" ] && [ "$(cat /app/out.txt)" = hello ]; then echo 1; else echo 0; fi > /logs/verifier/reward.txt\n',
  });
  await provider.ensureImage(withDaemon);
  const agent = scriptAgent(
    'a=$(cat /srv/beat); sleep 1.5; [ "$a" != "$(cat /srv/beat)" ] && echo daemon-live; echo hello > /app/out.txt',
  );
  const r = await runTrial({ task: withDaemon, agent: 'noop', repeat: 0, outDir, provider, runAgent: agent.runner });
  expect(agent.runs[0]?.stdout).toContain('daemon-live');
  expect(r).toMatchObject({ reward: 1, error: null });
}, 300_000);
