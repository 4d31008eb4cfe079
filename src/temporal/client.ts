/**
 * Client helpers the CLI builds on: start (or attach to) a campaign by name, and the typed
 * signal / update / query calls of its control surface. One workflow per campaign: id `campaign/<name>`.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Budget } from '../search/ledger';
import {
  addHintUpdate,
  pauseSignal,
  progressQuery,
  resumeSignal,
  retryGenerationUpdate,
  setBudgetUpdate,
  statusQuery,
  stopSignal,
  validateBudget,
  validateHint,
  type GenerationProgress,
} from '../workflows/definitions';
import { QUEUES } from '../workflows/activities';
import type { CampaignWorkflow } from '../workflows/campaign';
import type { CampaignInput, CampaignStatus, CampaignSummary } from '../workflows/types';

export type CampaignHandle = WorkflowHandle<typeof CampaignWorkflow>;

const campaignWorkflowId = (name: string): string => `campaign/${name}`;

export const campaignHandle = (client: Client, name: string): CampaignHandle =>
  client.workflow.getHandle<typeof CampaignWorkflow>(campaignWorkflowId(name));

export type AttachState = 'started' | 'running' | 'completed' | 'restarted';

/**
 * Starts `campaign/<name>` unless it is already running (then attaches). A completed campaign is attached
 * to (its result is available) unless `restart` is set; a failed / terminated one is started afresh.
 */
export async function startOrAttachCampaign(
  client: Client,
  opts: { name: string; input: Exclude<CampaignInput, { carry: unknown }>; taskQueue?: string; restart?: boolean },
): Promise<{ handle: CampaignHandle; state: AttachState }> {
  const handle = campaignHandle(client, opts.name);
  const previous = await handle.describe().then(
    (d) => d.status.name,
    () => null,
  );
  if (previous === 'RUNNING') return { handle, state: 'running' };
  if (previous === 'COMPLETED' && !opts.restart) return { handle, state: 'completed' };
  try {
    const started = await client.workflow.start<typeof CampaignWorkflow>('CampaignWorkflow', {
      workflowId: campaignWorkflowId(opts.name),
      taskQueue: opts.taskQueue ?? QUEUES.workflows,
      args: [opts.input],
    });
    return { handle: started, state: previous === null ? 'started' : 'restarted' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { handle, state: 'running' };
    throw err;
  }
}

export const pauseCampaign = (h: CampaignHandle): Promise<void> => h.signal(pauseSignal);
export const resumeCampaign = (h: CampaignHandle): Promise<void> => h.signal(resumeSignal);
export const stopCampaign = (h: CampaignHandle, reason?: string): Promise<void> => h.signal(stopSignal, { reason });

/** Validated here too, so a bad value fails fast with the same message the workflow's validator gives. */
export function setCampaignBudget(h: CampaignHandle, budget: Budget): Promise<Budget> {
  validateBudget(budget);
  return h.executeUpdate(setBudgetUpdate, { args: [budget] });
}

export function addCampaignHint(h: CampaignHandle, hint: string): Promise<number> {
  validateHint(hint);
  return h.executeUpdate(addHintUpdate, { args: [hint] });
}

/** Rejected (WorkflowUpdateFailedError) when no generation is waiting for a retry. */
export const retryCampaignGeneration = (h: CampaignHandle): Promise<number> => h.executeUpdate(retryGenerationUpdate);

export const campaignStatus = (h: CampaignHandle): Promise<CampaignStatus> => h.query(statusQuery);
export const campaignResult = (h: CampaignHandle): Promise<CampaignSummary> => h.result();

/** Progress of a running child (`status.currentChild`), or null when it is not running / not answering. */
export async function childProgress(client: Client, childId: string | null): Promise<GenerationProgress | null> {
  if (!childId) return null;
  return client.workflow
    .getHandle(childId)
    .query(progressQuery)
    .catch(() => null);
}
