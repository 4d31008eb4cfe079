/** The message of anything thrown (a non-Error value as its string); pure, so workflow code may use it too. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
