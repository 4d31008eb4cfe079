/**
 * Reading ATIF v1.0–v1.8: golden files of each version (each valid under the Harbor release that introduced
 * its version, and under harbor 0.26 — test/e2e/harbor-conformance.test.ts checks the latter) load into
 * the v1.8 in-memory shape, and what our v1.4 files kept in `extra` lands where v1.8 puts it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { contentText } from '../../src/agent/atif/content';
import { loadTrajectory, parseTrajectory } from '../../src/agent/atif/io';
import { type Trajectory } from '../../src/agent/atif/trajectory';

const DIR = join(__dirname, '..', 'fixtures', 'atif');
const load = (name: string): Promise<Trajectory> => loadTrajectory(join(DIR, name));

test('there is a golden file of every minor version but v1.1 (Harbor models v1.0 to v1.2 as one)', () => {
  const versions = readdirSync(DIR)
    .filter((f) => /^v1\.\d/.test(f))
    .map((f) => f.slice(0, 4))
    .sort();
  expect(versions).toEqual(['v1.0', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8']);
});

test.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))('%s loads as ATIF v1.8', async (name) => {
  const t = await load(name);
  expect(t.schema_version).toBe('ATIF-v1.8');
  expect(t.steps.length).toBeGreaterThan(0);
});

test('v1.0: an external sub-agent file ref keeps its path and session id', async () => {
  const t = await load('v1.0.json');
  expect(t.steps[3]?.observation?.results[0]?.subagent_trajectory_ref).toEqual([
    { session_id: 'tb-run-0001-reviewer', trajectory_path: 'reviewer.json' },
  ]);
  expect(t.notes).toMatch(/Terminal-Bench/);
  expect(t.final_metrics?.total_steps).toBe(4);
});

test('v1.2 and v1.3: reasoning effort, logprobs and token ids survive', async () => {
  const v12 = await load('v1.2.json');
  expect(v12.steps.map((s) => s.reasoning_effort)).toEqual([undefined, 'medium', 0.5]);
  expect(v12.steps[1]?.metrics?.logprobs).toEqual([-0.1, -0.02, -1.5]);
  expect(v12.steps[1]?.observation?.results[1]).toEqual({ content: 'environment note: cwd is /app' });
  expect((await load('v1.3.json')).steps[1]?.metrics?.completion_token_ids).toEqual([6023, 151645]);
});

test('v1.4 (our earlier files): embedded runs, their refs and error flags move to the v1.8 places', async () => {
  const t = await load('v1.4-autoagent.json');
  expect(t.extra).toBeUndefined();
  expect(t.subagent_trajectories?.map((s) => [s.trajectory_id, s.session_id])).toEqual([
    ['trial-abc123/verifier-1', 'trial-abc123/verifier-1'],
  ]);
  expect(t.steps[3]?.observation?.results[0]?.subagent_trajectory_ref).toEqual([
    { trajectory_id: 'trial-abc123/verifier-1', session_id: 'trial-abc123/verifier-1', extra: { name: 'verifier' } },
  ]);
  expect(t.steps[2]?.extra).toEqual({ turn: 1, stop_reason: 'tool_use' });
  expect(t.steps[2]?.observation?.results.map((r) => r.extra)).toEqual([undefined, { is_error: true }]);
});

test('v1.4 without a step (a no-op agent) gets one system step; a legacy ref by session id resolves', () => {
  const t = parseTrajectory({
    schema_version: 'ATIF-v1.4',
    session_id: 'p',
    agent: { name: 'a', version: '1' },
    steps: [
      {
        step_id: 1,
        source: 'system',
        message: 'go',
        observation: { results: [{ subagent_trajectory_ref: [{ session_id: 's' }] }] },
      },
    ],
    extra: {
      subagent_trajectories: [
        { schema_version: 'ATIF-v1.2', session_id: 's', agent: { name: 'b', version: '1' }, steps: [] },
      ],
      kept: 1,
    },
  });
  expect(t.extra).toEqual({ kept: 1 });
  expect(t.steps[0]?.observation?.results[0]?.subagent_trajectory_ref).toEqual([
    { session_id: 's', trajectory_id: 's' },
  ]);
  expect(t.subagent_trajectories?.[0]?.steps).toEqual([
    { step_id: 1, source: 'system', message: 'No agent step was recorded.', extra: { no_steps: true } },
  ]);
});

test('v1.5: copied context and the continuation ref', async () => {
  const t = await load('v1.5.json');
  expect(t.steps.map((s) => s.is_copied_context)).toEqual([true, true, false]);
  expect(t.continued_trajectory_ref).toBe('trajectory.cont-1.json');
  expect(t.steps[1]?.metrics?.prompt_token_ids).toEqual([1, 2, 3]);
});

test('v1.6: multimodal messages and observations, tool definitions', async () => {
  const t = await load('v1.6.json');
  expect(contentText(t.steps[0]?.message)).toBe('What does this chart show?\n[image: images/chart.png]');
  expect(t.steps[1]?.observation?.results[0]?.content).toEqual([
    { type: 'text', text: 'captured' },
    { type: 'image', source: { media_type: 'image/webp', path: 'https://example.invalid/shot.webp' } },
  ]);
  expect(t.agent.tool_definitions?.[0]).toMatchObject({ type: 'function', function: { name: 'screenshot' } });
});

test('v1.7: embedded sub-agents by trajectory id, extras on calls and results, llm_call_count', async () => {
  const t = await load('v1.7.json');
  expect(t.trajectory_id).toBe('root');
  expect(t.subagent_trajectories?.map((s) => s.trajectory_id)).toEqual(['planner-1', 'coder-1']);
  expect(t.subagent_trajectories?.[1]?.session_id).toBeUndefined();
  expect(t.steps.map((s) => s.llm_call_count)).toEqual([undefined, 0, 2]);
  expect(t.steps[1]?.tool_calls?.map((c) => c.extra)).toEqual([{ timeout_sec: 60 }, { retry: 1 }]);
  expect(t.steps[1]?.observation?.results[0]?.extra).toEqual({ confidence: 0.9 });
});

test('v1.8: audio parts, with the MIME alias Gemini emits normalised as Harbor does', async () => {
  const t = await load('v1.8.json');
  expect(t.steps[0]?.message).toEqual([
    { type: 'text', text: 'Transcribe this.' },
    { type: 'audio', source: { media_type: 'audio/mpeg', path: 'audio/question.mp3', duration_sec: 3.5 } },
  ]);
});

test('a media part of the wrong kind is refused with its field', () => {
  const bad = {
    schema_version: 'ATIF-v1.8',
    agent: { name: 'a', version: '1' },
    steps: [
      { step_id: 1, source: 'user', message: [{ type: 'audio', source: { media_type: 'image/png', path: 'x.png' } }] },
    ],
  };
  expect(() => parseTrajectory(bad, 'mem')).toThrow(/^mem: steps\.0\.message/);
});
