/**
 * The runTrial activity's optional second look at a passing trial: the LLM judge of reward hacking
 * (campaign.yaml `tamperingJudge`, recorded in the campaign's `prepared` event, so trial requests and the
 * workflow's commands stay as they were). A deterministic sample — passing TRAIN trials of proposed
 * candidates with repeat < sample — bounds its cost to sample × train tasks per candidate (the seed is the
 * user's, and a holdout verdict could reject nothing). Each verdict is stored once as a `tampering-judged`
 * event, so a retried or cached trial is not judged (or charged) twice. A judge API fault throws: it is a
 * systemic fault like any other, retried by Temporal.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createLlmClient } from '../llm/provider';
import { zeroUsage, type Usage } from '../llm/usage';
import { trialTampering } from '../meta/screen';
import { createTamperJudge, type TamperJudge } from '../meta/screen/judge';
import type { CampaignStore } from '../store/store';
import type { TamperingJudgePlan } from '../workflows/types';
import type { LocalTaskRef } from './ports';
import { llmFaultFailure } from './faults';

export const JUDGED_EVENT = 'tampering-judged';
/** The judge's reason goes into a one-line verdict: keep it short (the full text is in the event). */
const MAX_EXPLANATION = 300;

const PlanSchema = z.object({ model: z.string().min(1), sample: z.number().int().positive() });
const PreparedSchema = z
  .object({
    tamperingJudge: PlanSchema.nullable().optional(),
    seed: z.string().optional(),
    holdoutTasks: z.array(z.string()).optional(),
  })
  .passthrough();

interface JudgeSettings extends TamperingJudgePlan {
  seed: string | null;
  holdoutTasks: string[];
}
const JudgedSchema = z
  .object({ trialId: z.string(), flagged: z.boolean(), explanation: z.string(), model: z.string() })
  .passthrough();

/** The judge settings of the campaign's latest `prepared` event, or null (off, or a store from before the judge). */
async function judgePlanOf(store: CampaignStore, campaign: string): Promise<JudgeSettings | null> {
  const last = (await store.listEvents(campaign, { kind: 'prepared' })).at(-1);
  const parsed = PreparedSchema.safeParse(last?.data);
  const plan = parsed.success ? parsed.data.tamperingJudge : null;
  if (!parsed.success || !plan) return null;
  return { ...plan, seed: parsed.data.seed ?? null, holdoutTasks: parsed.data.holdoutTasks ?? [] };
}

async function instructionOf(task: LocalTaskRef): Promise<string> {
  return readFile(path.join(task.dir, 'instruction.md'), 'utf8').catch(() => '(instruction not available)');
}

export interface JudgeTrialInput {
  store: CampaignStore;
  campaign: string;
  trialId: string;
  candidateId: string;
  task: LocalTaskRef;
  repeat: number;
  reward: number;
  trajectoryText: string | undefined;
  /** Default: the model through createLlmClient (its provider's credentials from the environment). */
  judgeFor?: (model: string) => TamperJudge;
  signal?: AbortSignal;
}

const defaultJudge = (model: string): TamperJudge => createTamperJudge(createLlmClient(model), model);

/**
 * The whole screen of one trial: the deterministic check first (every passing trial), then — only when it
 * found nothing — the optional judge on the sample. Returns the flag (one line) or null, and the judge's cost.
 */
export async function screenTrial(input: JudgeTrialInput): Promise<{ tampering: string | null; usage: Usage }> {
  const found = trialTampering(input.reward, input.trajectoryText);
  return found ? { tampering: found, usage: zeroUsage() } : judgeTrial(input);
}

/** The judge's flag (one line) or null, and what judging cost now (zero when off, not sampled, or judged before). */
export async function judgeTrial(input: JudgeTrialInput): Promise<{ tampering: string | null; usage: Usage }> {
  const plan = await judgePlanOf(input.store, input.campaign);
  const none = { tampering: null, usage: zeroUsage() };
  if (!plan || !(input.reward > 0) || !input.trajectoryText || input.repeat >= plan.sample) return none;
  if (input.candidateId === plan.seed || plan.holdoutTasks.includes(input.task.name)) return none;
  const flag = (v: { flagged: boolean; explanation: string; model: string }): string | null =>
    v.flagged ? `LLM judge (${v.model}): ${v.explanation.replace(/\s+/g, ' ').trim().slice(0, MAX_EXPLANATION)}` : null;
  const earlier = (await input.store.listEvents(input.campaign, { kind: JUDGED_EVENT }))
    .map((e) => JudgedSchema.safeParse(e.data))
    .find((p) => p.success && p.data.trialId === input.trialId);
  if (earlier?.success) return { tampering: flag(earlier.data), usage: zeroUsage() };

  const judge = (input.judgeFor ?? defaultJudge)(plan.model);
  const r = await judge(
    { task: input.task.name, instruction: await instructionOf(input.task), trajectoryText: input.trajectoryText },
    input.signal,
  ).catch((err: unknown) => {
    // Typed like every model fault: an outage is retried (the stored trial is reused), a bad key pauses.
    throw llmFaultFailure(err, { model: plan.model, what: `the tampering judge of trial ${input.trialId}` }) ?? err;
  });
  const verdict = {
    trialId: input.trialId,
    flagged: r.flagged,
    explanation: r.explanation,
    model: plan.model,
    usage: r.usage,
  };
  await input.store.appendEvent(input.campaign, JUDGED_EVENT, verdict);
  return { tampering: flag(verdict), usage: r.usage };
}
