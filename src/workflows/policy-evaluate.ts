/**
 * Policy-driven evaluation (workflow code): each candidate runs the trials its evaluation policy asks for
 * (src/search/evaluation), at most `window` trials in flight over all candidates. Every settled trial is
 * fed to the policy's `next`; when it says `stop`, the candidate's queued trials are dropped (never
 * started, never charged) and its started ones are cancelled through their CancellationScope — Temporal
 * activity cancellation, which the trial activity answers by removing its sandbox and recording nothing.
 *
 * Why the shape: the policy is pure and keeps no state, so this loop's record of queued, running and
 * observed trials is the whole state and replays exactly. A trial that completes before its cancellation
 * reaches the worker is kept (stored and charged once) but no longer fed to the decided policy. Candidates
 * take turns for free lanes, so every one of them gathers evidence (and can be decided) early.
 */
import { CancellationScope, condition } from '@temporalio/workflow';
import type {
  EvaluationPolicy,
  ObservedTrial,
  PlannedTrial,
  PolicyInput,
  PolicyStep,
} from '../search/evaluation/policy';
import { trialActivities } from './activities';
import { isCandidateError, trialErrorText, type EvaluationControl } from './evaluate-common';
import { systemicFaultOf, worstFault } from './faults';
import { policyInputFor, policyNamed } from './policies';
import type {
  CandidateEvaluation,
  EvaluationInput,
  EvaluationPolicyPlan,
  EvaluationResult,
  HarnessRef,
  PolicyDecision,
  SystemicFault,
  TaskRef,
  TrialOutcome,
} from './types';

interface CandidateRun {
  ref: HarnessRef;
  policy: EvaluationPolicy;
  input: PolicyInput;
  scope: CancellationScope;
  queued: PlannedTrial[];
  running: PlannedTrial[];
  observed: ObservedTrial[];
  trials: TrialOutcome[];
  stopped: boolean;
  decision?: PolicyDecision;
  error: string | null;
  cancelled: { started: number; unstarted: number };
}

const sameTrial =
  (a: PlannedTrial) =>
  (b: PlannedTrial): boolean =>
    a.task === b.task && a.repeat === b.repeat;

export async function evaluateWithPolicy(
  input: EvaluationInput,
  plan: EvaluationPolicyPlan,
  control: EvaluationControl,
): Promise<EvaluationResult> {
  const { runTrial } = trialActivities(input.runtime);
  const tasks = new Map<string, TaskRef>(input.tasks.map((t) => [t.name, t]));
  const runs: CandidateRun[] = input.candidates.map((ref) => {
    const pinput = policyInputFor(plan, ref.id, input.tasks, input.repeats);
    const policy = policyNamed(plan.spec.policy);
    return {
      ref,
      policy,
      input: pinput,
      scope: new CancellationScope(),
      queued: policy.initial(pinput),
      running: [],
      observed: [],
      trials: [],
      stopped: false,
      error: null,
      cancelled: { started: 0, unstarted: 0 },
    };
  });
  let failure: string | null = null;
  let fault: SystemicFault | null = null;
  let turn = 0;

  const stop = (run: CandidateRun, step: Extract<PolicyStep, { verdict: 'stop' }> | null): void => {
    run.stopped = true;
    run.cancelled.unstarted += run.queued.length;
    run.queued = [];
    if (step?.decided) run.decision = { accepted: step.decided === 'accept', reason: step.reason };
    if (run.running.length > 0) run.scope.cancel();
  };
  const settle = (run: CandidateRun, trial: PlannedTrial, outcome: TrialOutcome | null): void => {
    run.running = run.running.filter((t) => !sameTrial(trial)(t));
    if (outcome) run.trials.push(outcome);
    if (run.stopped || outcome === null) return;
    run.observed.push({ ...trial, score: outcome.reward });
    const step = run.policy.next(run.input, run.observed, [...run.running, ...run.queued]);
    if (step.verdict === 'stop') stop(run, step);
    else
      run.queued.push(
        ...step.schedule.filter((t) => !run.queued.some(sameTrial(t)) && !run.running.some(sameTrial(t))),
      );
  };
  /** The next candidate with a queued trial, taking turns. */
  const pick = (): CandidateRun | undefined => {
    for (let i = 0; i < runs.length; i++) {
      const run = runs[(turn + i) % runs.length] as CandidateRun;
      if (run.queued.length > 0) {
        turn = (turn + i + 1) % runs.length;
        return run;
      }
    }
    return undefined;
  };
  const anyQueued = (): boolean => runs.some((r) => r.queued.length > 0);
  const anyRunning = (): boolean => runs.some((r) => r.running.length > 0);

  const runOne = async (run: CandidateRun, trial: PlannedTrial): Promise<void> => {
    const task = tasks.get(trial.task);
    if (!task) {
      // A policy bug, not a result: fail the evaluation visibly (it waits for retry-generation).
      failure ??= `evaluation policy ${run.policy.name} asked for unknown task ${trial.task}`;
      settle(run, trial, null);
      return;
    }
    try {
      const outcome = await run.scope.run(() =>
        runTrial({
          campaign: input.campaign,
          campaignDir: input.campaignDir,
          candidateId: run.ref.id,
          harnessId: run.ref.id,
          task,
          repeat: trial.repeat,
          ...(input.metric ? { metric: input.metric } : {}),
        }),
      );
      settle(run, trial, outcome);
    } catch (err) {
      // Once decided, a trial's failure cannot change anything (and may be its cancellation racing a
      // fault): it counts as cancelled — nothing of it was stored or charged either way.
      if (run.stopped && !isCandidateError(err)) {
        run.cancelled.started++;
      } else if (isCandidateError(err)) {
        run.error ??= trialErrorText(err);
        stop(run, null); // a broken harness: its other trials are moot
      } else {
        failure ??= `trial ${trial.task} #${trial.repeat} of ${run.ref.id}: ${trialErrorText(err)}`;
        fault = worstFault(fault, systemicFaultOf(err));
      }
      settle(run, trial, null);
    }
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      // Wait for work: a queued trial, or — with nothing queued — for the running ones, which may queue more.
      await condition(() => failure !== null || anyQueued() || !anyRunning());
      if (failure !== null || (!anyQueued() && !anyRunning())) return;
      if (!anyQueued()) continue; // another lane took it: wait again
      if (control.paused()) {
        await condition(() => !control.paused() || failure !== null);
        continue;
      }
      const run = pick() as CandidateRun;
      const trial = run.queued.shift() as PlannedTrial;
      run.running.push(trial);
      await runOne(run, trial);
      control.onTrialDone();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.window) }, lane));

  const evaluations: CandidateEvaluation[] = runs.map((r) => ({
    candidateId: r.ref.id,
    trials: r.trials,
    error: r.error,
    ...(r.decision && r.error === null ? { decision: r.decision } : {}),
    ...(r.cancelled.started + r.cancelled.unstarted > 0 ? { cancelled: r.cancelled } : {}),
  }));
  return fault ? { evaluations, failure, fault } : { evaluations, failure };
}
