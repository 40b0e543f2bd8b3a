import * as z from 'zod';

/**
 * One record of the agent's audit log (audit.jsonl) as it is on disk and as `audit.recent`
 * answers it: who asked for what, what the policy said, and how it ended. Its texts carry
 * secret tokens only (the agent redacts them when it writes, and again when it answers).
 */
export const auditLineSchema = z.object({
  seq: z.number().int().min(1),
  time: z.string(),
  device: z.object({ id: z.string(), name: z.string() }),
  role: z.string(),
  op: z.string(),
  target: z.string(),
  decision: z.enum(['allowed', 'refused']),
  reason: z.string().optional(),
  result: z.enum(['ok', 'error']),
  code: z.string().optional(),
  bytes: z.number(),
  durationMs: z.number(),
  /**
   * Safety mode: the approval this record is about. On the request's own record: how it was
   * let through (approved, approved for the session, denied, expired, cancelled); on a decision's
   * record (op approvals.decide): what was decided, or 'refused' for a decision that did not count.
   */
  approval: z.object({ id: z.string(), decision: z.string(), by: z.string() }).optional(),
  /** A terminal's end: the name of its recording (`openmates remote-access recordings`). */
  recording: z.string().optional(),
  /** sha256 (hex) of the previous line, or of GENESIS for the first. */
  prev: z.string(),
});

export type AuditLine = z.infer<typeof auditLineSchema>;
