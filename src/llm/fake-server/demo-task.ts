/**
 * The demo model as a *task agent*: a weak but improvable agent. It explores (ls, cat one file), then
 * either runs the task's reference solution (read from the benchmark on the host — this is a scripted
 * double, not a model) and finishes, or gives up with a plausible end_turn message. Whether it solves a
 * task depends only on the task name and how many good-practice markers the harness's system prompt has
 * (demo-markers.ts). Pure: the next turn is a function of the conversation so far.
 */
import { text, toolUse } from './script';
import type { Conversation } from './demo-conversation';
import { demoSolves, markersIn } from './demo-markers';

export const DEMO_LABEL = '[demo model: a scripted stand-in, not a real LLM]';

export interface DemoTask {
  name: string;
  instruction: string;
  /** solution/solve.sh, or null when the task has none (the demo then never solves it). */
  solve: string | null;
}

type DemoBlock = ReturnType<typeof text> | ReturnType<typeof toolUse>;

export interface DemoTurn {
  content: DemoBlock[];
  /** One line for the server log: what the demo decided and why. */
  note: string;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The benchmark task whose instruction.md is the conversation's instruction (exact, else contained). */
export function identifyTask(firstUser: string, tasks: readonly DemoTask[]): DemoTask | null {
  const asked = squash(firstUser);
  if (!asked) return null;
  const exact = tasks.find((t) => squash(t.instruction) === asked);
  if (exact) return exact;
  return tasks.find((t) => asked.includes(squash(t.instruction))) ?? null;
}

/** The first regular file of an `ls -la` listing, to look at next. */
export function firstFileOf(listing: string): string | null {
  for (const line of listing.split('\n')) {
    if (!/^-[rwxsStT-]{9}/.test(line)) continue;
    const name = line.trim().split(/\s+/).slice(8).join(' ');
    if (name) return name;
  }
  return null;
}

/** A bash command that writes the solution script to a temp file and runs it (keeps `set -e` semantics). */
export function solveCommand(solve: string): string {
  const body = solve.endsWith('\n') ? solve : `${solve}\n`;
  return `cat > /tmp/demo-solve.sh <<'DEMO_SOLVE_EOF'\n${body}DEMO_SOLVE_EOF\nbash /tmp/demo-solve.sh`;
}

const say = (t: string, note: string): DemoTurn => ({ content: [text(`${DEMO_LABEL} ${t}`)], note });
const act = (t: string, tool: string, input: Record<string, unknown>, note: string): DemoTurn => ({
  content: [text(`${DEMO_LABEL} ${t}`), toolUse(tool, input)],
  note,
});

/** The task agent's next turn. */
export function taskAgentTurn(conv: Conversation, tasks: readonly DemoTask[]): DemoTurn {
  if (conv.toolsForbidden) {
    return say(
      'Plan: 1) look at the working directory and the files involved; 2) make the change; 3) check the result; 4) finish.',
      'plan',
    );
  }
  if (/VERDICT:\s*PASS/.test(conv.firstUser))
    return say('I looked at the summary and the environment.\nVERDICT: PASS', 'verifier sub-agent');
  const task = identifyTask(conv.firstUser, tasks);
  if (!task) return say('I do not recognise this task, so I am stopping here.', 'unknown task: gave up');
  if (!conv.tools.includes('bash'))
    return say('I have no shell tool, so I cannot work on this task.', `${task.name}: no bash tool`);
  const markers = markersIn(conv.system);
  const solves = task.solve !== null && demoSolves(task.name, markers.length);
  const tag = `${task.name} (markers ${markers.length}, ${solves ? 'solves' : 'gives up'})`;
  const step = conv.calls.length;
  if (step === 0)
    return act('Let me look at the working directory first.', 'bash', { command: 'pwd && ls -la' }, `${tag}: explore`);
  if (step === 1) {
    const file = firstFileOf(conv.calls[0]?.result ?? '');
    const command = file ? `cat -- '${file.replace(/'/g, `'\\''`)}'` : 'find . -maxdepth 2 -type f | head -n 20';
    return act('Now let me read what is there.', 'bash', { command }, `${tag}: read`);
  }
  if (!solves) {
    return say(
      'I have looked at the environment. The setup appears to already match what the task describes, so I believe no further change is needed. Stopping here.',
      `${tag}: end_turn`,
    );
  }
  if (step === 2)
    return act(
      'I know what to do: applying the fix now.',
      'bash',
      { command: solveCommand(task.solve ?? '') },
      `${tag}: solve`,
    );
  if (step === 3 && markers.length > 0) {
    return act(
      'Checking the result before finishing, as my instructions ask.',
      'bash',
      { command: 'pwd && ls -la' },
      `${tag}: check`,
    );
  }
  const summary = `${DEMO_LABEL} Applied the fix for ${task.name}${markers.length > 0 ? ' and re-checked the working directory' : ''}.`;
  if (!conv.tools.includes('finish')) return say(summary, `${tag}: end_turn (no finish tool)`);
  return act('Done.', 'finish', { summary }, `${tag}: finish`);
}
