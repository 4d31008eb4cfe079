/**
 * The one judgement of a proposed harness, made where the candidate is written: it must load exactly as
 * the runtime will load it, differ from its parent, and not reach for the verifier. Every "no" is a value
 * with its reason (an invalid proposal is a normal, recorded outcome), never an exception.
 */
import { buildHarness } from '../harness/load';
import type { Harness } from '../harness/schema';
import { computeHarnessId } from '../harness/files';
import { harnessTampering } from '../meta/screen';
import { errorText } from '../util/error-text';
import { harnessDir } from '../campaign/layout';
import { filesWithModel } from '../harness/model-override';

export type ProposalCheck = { ok: true; harness: Harness } | { ok: false; reason: string };

/**
 * `campaignDir` only names where the candidate will live (the Harness's `dir`); nothing is read or written.
 * `taskModel` (campaign.yaml's explicit override) is written into harness.yaml first: the meta-agent cannot change it.
 */
export function checkProposedFiles(
  parent: Harness,
  proposed: Record<string, string>,
  campaignDir: string,
  taskModel?: string,
): ProposalCheck {
  const files = taskModel ? filesWithModel(proposed, taskModel) : proposed;
  let harness: Harness;
  try {
    harness = buildHarness(harnessDir(campaignDir, computeHarnessId(files)), files);
  } catch (err) {
    return { ok: false, reason: `invalid harness: ${errorText(err)}` };
  }
  if (harness.id === parent.id) return { ok: false, reason: 'no change from the parent harness' };
  // The meta-agent is told not to tamper, and watched: a change that reaches for the verifier is rejected unrun.
  const tampering = harnessTampering(parent.files, harness.files);
  return tampering ? { ok: false, reason: tampering } : { ok: true, harness };
}
