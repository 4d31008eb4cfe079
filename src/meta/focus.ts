/**
 * Diverse proposals: each of a generation's proposals gets its own starting point — a cluster of the
 * parent's failed trials to study first and a lever to try first (the prompt, the tools, the
 * orchestration) — so K siblings spread over the ways a harness can improve instead of K variations of the
 * most obvious edit. Deterministic: the same trials, generation and proposal index always give the same
 * focus (a retried proposal starts where it started before), and siblings 0..K−1 get consecutive slots of
 * the rotation, so with K ≤ 3 no two share a lever and with K ≤ clusters no two share a cluster.
 * The focus is where to start, not a fence: the meta-agent may switch lever and says why.
 */
import { z } from 'zod';
import type { MetaTrial } from './schema';

export type Lever = 'prompt' | 'tools' | 'orchestration';

export const LEVERS: readonly { lever: Lever; what: string }[] = [
  {
    lever: 'prompt',
    what: 'the prompt — system.md and the files it includes: instructions, a checklist, a worked example',
  },
  {
    lever: 'tools',
    what: 'the tools — enable a built-in, or write a custom tool (tools/<name>.yaml + script) such as a checker or a test runner',
  },
  {
    lever: 'orchestration',
    what: 'the orchestration — harness.yaml: planFirst, a verify sub-agent (agents/<name>.md), maxTurns, maxTokens, thinkingBudget',
  },
];

/** Failed trials (reward < 1) that failed the same way. `trials` are workspace folders: trials/<task>/r<n>. */
export interface FailureCluster {
  signature: string;
  trials: string[];
}

export interface ProposalFocus {
  lever: Lever;
  leverText: string;
  /** null when every trial shown passed. */
  cluster: FailureCluster | null;
}

const Lenient = z
  .object({
    verifier: z.object({ reward: z.number(), reason: z.string().nullable().optional() }).partial().optional(),
    failure: z.object({ type: z.string() }).nullable().optional(),
    stopReason: z.string().optional(),
    reward: z.number().optional(),
  })
  .passthrough();

const CLEAN_STOPS = new Set(['finished', 'end_turn']);

/** How a trial failed, in a few words; null when it passed (or its result cannot be read). */
export function failureSignature(result: unknown): string | null {
  const r = Lenient.safeParse(result);
  if (!r.success) return null;
  const reward = r.data.verifier?.reward ?? r.data.reward;
  if (reward === undefined || reward >= 1) return null;
  if (r.data.failure?.type) return r.data.failure.type;
  if (r.data.stopReason && !CLEAN_STOPS.has(r.data.stopReason)) return `agent stopped: ${r.data.stopReason}`;
  if (r.data.verifier?.reason) return `verifier: ${r.data.verifier.reason}`;
  return 'the agent finished but the tests failed';
}

/** The parent's failed trials grouped by signature: biggest cluster first, then by signature. */
export function failureClusters(trials: readonly Pick<MetaTrial, 'task' | 'repeat' | 'result'>[]): FailureCluster[] {
  const bySignature = new Map<string, string[]>();
  const sorted = [...trials].sort((a, b) => a.task.localeCompare(b.task) || a.repeat - b.repeat);
  for (const t of sorted) {
    const sig = failureSignature(t.result);
    if (sig !== null) bySignature.set(sig, [...(bySignature.get(sig) ?? []), `trials/${t.task}/r${t.repeat}`]);
  }
  return [...bySignature.entries()]
    .map(([signature, list]) => ({ signature, trials: list }))
    .sort((a, b) => b.trials.length - a.trials.length || a.signature.localeCompare(b.signature));
}

/** The starting point of proposal `proposalIndex` of `generation`. */
export function proposalFocus(
  trials: readonly Pick<MetaTrial, 'task' | 'repeat' | 'result'>[],
  generation: number,
  proposalIndex: number,
): ProposalFocus {
  const slot = generation + proposalIndex;
  const lever = LEVERS[slot % LEVERS.length] as (typeof LEVERS)[number];
  const clusters = failureClusters(trials);
  return {
    lever: lever.lever,
    leverText: lever.what,
    cluster: clusters.length === 0 ? null : (clusters[slot % clusters.length] ?? null),
  };
}

const MAX_LISTED = 6;

/** The focus as instruction lines. */
export function focusLines(f: ProposalFocus): string[] {
  const where = f.cluster
    ? `- Study first the failures "${f.cluster.signature}" (${f.cluster.trials.length} trial(s): ${f.cluster.trials.slice(0, MAX_LISTED).join(', ')}` +
      `${f.cluster.trials.length > MAX_LISTED ? ', …' : ''}).`
    : '- Every trial shown passed: look for what is fragile, slow or costly instead.';
  return [
    'Your starting point (each proposal of this generation gets a different one, so together they cover more ground):',
    where,
    `- Lever to try first: ${f.leverText}.`,
    '- If that lever cannot fix what you find, use another one and say why in your rationale.',
  ];
}
