/** What a verifier run yields, the verifier layer's own shape; a trial record carries it (trial/types.ts). */
import { z } from 'zod';

export const VerifierRecordSchema = z.object({
  reward: z.number().min(0).max(1),
  /** Why the reward is 0 when the verifier did not produce one (timeout, no reward file, ...). */
  reason: z.string().nullable(),
  exitCode: z.number().nullable(),
  output: z.string(),
  /** Every metric the verifier wrote (reward.json's fields; `{reward}` from reward.txt); absent when it wrote none. */
  rewards: z.record(z.number()).optional(),
});
export type VerifierRecord = z.infer<typeof VerifierRecordSchema>;
