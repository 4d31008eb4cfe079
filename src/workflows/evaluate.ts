/**
 * Sliding-window evaluation (workflow code): candidates × tasks × repeats runTrial activities with at most
 * `window` in flight, so a generation of thousands of trials neither floods the trials queue nor the
 * history. A candidate whose harness cannot load is marked broken (its other trials are skipped); an
 * infrastructure failure (after the activity's retries) stops scheduling and is reported as the failure,
 * with every completed trial still returned so the campaign can charge it and reruns can reuse it. A systemic
 * model fault is also reported as `fault`, so the campaign can pause on a rejected key instead of waiting.
 * A generation under a non-full evaluation policy goes to policy-evaluate.ts instead (decides early, cancels).
 */
import { condition, patched } from '@temporalio/workflow';
import { trialActivities } from './activities';
import { isCandidateError, trialErrorText as message, type EvaluationControl } from './evaluate-common';
import { systemicFaultOf, worstFault } from './faults';
import { EVALUATION_POLICIES_PATCH, usesPolicy } from './policies';
import { evaluateWithPolicy } from './policy-evaluate';
import type { CandidateEvaluation, EvaluationInput, EvaluationResult, SystemicFault, TrialOutcome } from './types';

export type { EvaluationControl } from './evaluate-common';

interface Job {
  candidateId: string;
  task: EvaluationInput['tasks'][number];
  repeat: number;
}

export const plannedTrials = (input: Pick<EvaluationInput, 'candidates' | 'tasks' | 'repeats'>): number =>
  input.candidates.length * input.tasks.length * input.repeats;

function jobsOf(input: EvaluationInput): Job[] {
  return input.candidates.flatMap((c) =>
    input.tasks.flatMap((task) =>
      Array.from({ length: input.repeats }, (_, repeat) => ({ candidateId: c.id, task, repeat })),
    ),
  );
}

export async function evaluateCandidates(
  input: EvaluationInput,
  control: EvaluationControl,
): Promise<EvaluationResult> {
  // Only a non-full policy changes the commands; histories from before policies never reach the patch.
  if (usesPolicy(input.policy) && patched(EVALUATION_POLICIES_PATCH))
    return evaluateWithPolicy(input, input.policy, control);
  const { runTrial } = trialActivities(input.runtime);
  const jobs = jobsOf(input);
  const outcomes: (TrialOutcome | undefined)[] = new Array(jobs.length);
  const broken: Record<string, string> = {};
  let failure: string | null = null;
  let fault: SystemicFault | null = null;
  let next = 0;

  const lane = async (): Promise<void> => {
    for (;;) {
      // Pause holds back the next trial only: a lane with nothing left to start must not wait for resume.
      if (failure !== null || next >= jobs.length) return;
      if (control.paused()) await condition(() => !control.paused());
      if (failure !== null || next >= jobs.length) return;
      const i = next++;
      const job = jobs[i] as Job;
      if (broken[job.candidateId] !== undefined) continue;
      try {
        outcomes[i] = await runTrial({
          campaign: input.campaign,
          campaignDir: input.campaignDir,
          candidateId: job.candidateId,
          harnessId: job.candidateId, // a candidate's id is its harness's content id
          task: job.task,
          repeat: job.repeat,
          ...(input.metric ? { metric: input.metric } : {}),
        });
      } catch (err) {
        if (isCandidateError(err)) broken[job.candidateId] ??= message(err);
        else {
          failure ??= `trial ${job.task.name} #${job.repeat} of ${job.candidateId}: ${message(err)}`;
          fault = worstFault(fault, systemicFaultOf(err));
        }
      }
      control.onTrialDone();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.window, jobs.length)) }, lane));

  const evaluations: CandidateEvaluation[] = input.candidates.map((c) => ({
    candidateId: c.id,
    trials: outcomes.filter((o, i): o is TrialOutcome => o !== undefined && jobs[i]?.candidateId === c.id),
    error: broken[c.id] ?? null,
  }));
  return fault ? { evaluations, failure, fault } : { evaluations, failure };
}
