/** Typed meta-agent errors with stable names (Temporal retry policies match on `name`). */

/** A holdout task's trial was about to be shown to the meta-agent: a bug in the caller, never retried. */
export class HoldoutLeakError extends Error {
  override readonly name = 'HoldoutLeakError';
  constructor(
    readonly task: string,
    readonly repeat: number,
  ) {
    super(`trial of holdout task "${task}" (repeat ${repeat}) must never be shown to the meta-agent`);
  }
}

/** Bad input to the workspace builder (e.g. a task name that is not a safe folder name). */
export class MetaWorkspaceError extends Error {
  override readonly name = 'MetaWorkspaceError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`meta workspace: ${field}: ${message}`);
  }
}

/**
 * The meta-agent run itself failed (model/API error, abort): systemic, so the caller may retry. A systemic
 * model fault is kept as `cause`, so the activity can tell an outage (retry) from a rejected key (pause).
 */
export class MetaAgentError extends Error {
  override readonly name = 'MetaAgentError';
  constructor(
    readonly stopReason: string,
    readonly detail: string | null,
    readonly trajectoryPath: string,
    options?: { cause?: unknown },
  ) {
    super(
      `meta-agent run failed (${stopReason})${detail ? `: ${detail}` : ''}; trajectory: ${trajectoryPath}`,
      options,
    );
  }
}
