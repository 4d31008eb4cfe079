/**
 * The demo model as the *meta-agent*: reads the experiment log, the harness's system prompt and one failed
 * trajectory, appends ONE good-practice line to /workspace/harness/system.md, validates, and finishes with
 * a rationale citing what it read. Deterministically (by generation and proposal index, from the run's
 * instruction) it sometimes appends a useless line instead, so some candidates are rightly rejected.
 * Pure: every decision is re-derived from the tool results already in the conversation.
 */
import type { Conversation } from './demo-conversation';
import { MARKERS, USELESS_LINES, markersIn, type Marker } from './demo-markers';
import { DEMO_LABEL, type DemoTurn } from './demo-task';
import { text, toolUse } from './script';

const SYSTEM_MD = '/workspace/harness/system.md';

export interface MetaRun {
  generation: number;
  proposal: number;
  /** The parent's trials from the instruction, e.g. { dir: 'trials/x/r0', reward: 0 } (NaN when shown as '?'). */
  trials: { dir: string; reward: number }[];
}

/** Reads generation, proposal and the trial list out of the meta instruction (src/meta/instruction.ts). */
export function parseMetaRun(instruction: string): MetaRun {
  const gp = /Generation (\d+), proposal (\d+)/.exec(instruction);
  const trials = [...instruction.matchAll(/^- (trials\/\S+?)\/? — reward (\S+)/gm)].map((m) => ({
    dir: m[1] ?? '',
    reward: Number(m[2]),
  }));
  return { generation: Number(gp?.[1] ?? 0), proposal: Number(gp?.[2] ?? 0), trials };
}

/** The trial to study: the first failed one (reward < 1), else the first one. */
function trialToStudy(run: MetaRun): string | null {
  return (run.trials.find((t) => !(t.reward >= 1)) ?? run.trials[0])?.dir ?? null;
}

export interface EditPlan {
  /** The line appended to system.md. */
  line: string;
  /** The practice it adds, or null for a useless edit. */
  marker: Marker | null;
}

/**
 * What to append: a practice the harness lacks, preferring ones the experiment log has not tried yet
 * (rotated by proposal index so sibling proposals differ); a useless line (one the log has not shown yet)
 * when (generation + proposal) is odd or when every practice is already there.
 */
export function planEdit(run: MetaRun, systemMd: string, experimentsMd: string): EditPlan {
  const present = new Set(markersIn(systemMd).map((m) => m.id));
  const missing = MARKERS.filter((m) => !present.has(m.id));
  const untried = missing.filter((m) => !m.pattern.test(experimentsMd));
  const pool = untried.length > 0 ? untried : missing;
  const useless = (run.generation + run.proposal) % 2 === 1 || pool.length === 0;
  if (!useless) {
    const marker = pool[run.proposal % pool.length] ?? null;
    if (marker) return { line: marker.line, marker };
  }
  const fresh = USELESS_LINES.filter((l) => !systemMd.includes(l));
  const line = fresh.find((l) => !experimentsMd.includes(l)) ?? fresh[0] ?? USELESS_LINES[0] ?? '';
  return { line, marker: null };
}

/** A bash command appending `line` (after a blank line) to the file, then showing the file's tail. */
export function appendCommand(line: string, file = SYSTEM_MD): string {
  return `cat >> ${file} <<'DEMO_EDIT_EOF'\n\n${line}\nDEMO_EDIT_EOF\ntail -n 5 ${file}`;
}

function rationale(plan: EditPlan, trial: string | null): string {
  const where = trial ? `In ${trial} the task agent` : 'In the parent trials the task agent';
  if (!plan.marker) {
    return (
      `${DEMO_LABEL} ${where} ended with a hesitant, vague message. Change: appended "${plan.line}" to system.md ` +
      'so its summaries are clearer. This is a general style rule and should not hurt unseen tasks.'
    );
  }
  return (
    `${DEMO_LABEL} ${where} ${plan.marker.symptom}, then ended its turn; the verifier log shows the tests failed. ` +
    `The same pattern shows in the other failed trials. Root cause: the system prompt never asks for this step. ` +
    `Change: appended one general working rule to system.md: "${plan.line}" It names no task, file or value, ` +
    'so it should help on unseen tasks as much as on these.'
  );
}

const act = (t: string, tool: string, input: Record<string, unknown>, note: string): DemoTurn => ({
  content: [text(`${DEMO_LABEL} ${t}`), toolUse(tool, input)],
  note,
});

/** The meta-agent's next turn. */
export function metaAgentTurn(conv: Conversation): DemoTurn {
  const run = parseMetaRun(conv.firstUser);
  const trial = trialToStudy(run);
  const tag = `meta g${run.generation} p${run.proposal}`;
  const step = conv.calls.length;
  if (step === 0)
    return act(
      'Reading the experiment log first.',
      'bash',
      { command: 'cat /workspace/experiments.md' },
      `${tag}: read log`,
    );
  if (step === 1)
    return act('Now the current harness prompt.', 'bash', { command: `cat ${SYSTEM_MD}` }, `${tag}: read harness`);
  if (step === 2) {
    const command = trial
      ? `cat /workspace/${trial}/verifier.log | tail -n 30; cat /workspace/${trial}/trajectory.json | head -c 6000`
      : 'ls -R /workspace/trials | head -n 50';
    return act(`Studying a failed trial${trial ? ` (${trial})` : ''}.`, 'bash', { command }, `${tag}: read trial`);
  }
  const plan = planEdit(run, conv.calls[1]?.result ?? '', conv.calls[0]?.result ?? '');
  const kind = plan.marker ? `adds ${plan.marker.id}` : 'useless edit';
  if (step === 3)
    return act(
      'Adding one general working rule to the system prompt.',
      'bash',
      { command: appendCommand(plan.line) },
      `${tag}: edit (${kind})`,
    );
  if (step === 4 && conv.tools.includes('validate_harness'))
    return act('Validating the harness.', 'validate_harness', {}, `${tag}: validate`);
  return act('Finishing with my rationale.', 'finish', { summary: rationale(plan, trial) }, `${tag}: finish (${kind})`);
}
