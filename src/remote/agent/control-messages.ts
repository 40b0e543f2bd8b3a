import * as z from 'zod';
import { approvalDecisionSchema } from '../protocol/approvals.js';

/** What `remote-access status/stop/devices/approvals` ask the running agent, one JSON line each way. */
export const controlRequestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('status') }),
  z.object({ op: z.literal('stop') }),
  z.object({ op: z.literal('devices') }),
  z.object({ op: z.literal('devices.add'), name: z.string(), role: z.enum(['operator', 'approver']), rawSecrets: z.boolean().optional() }),
  z.object({ op: z.literal('devices.revoke'), name: z.string() }),
  /** Pending approvals and the recently decided ones (newest first): Approval[] (src/remote/protocol/approvals.ts). */
  z.object({ op: z.literal('approvals') }),
  /** A person on the server decides: `via` says which face (`cli` or `app`) for the audit log. Answers the Approval as decided. */
  z.object({ op: z.literal('approvals.decide'), via: z.enum(['cli', 'app']), decision: approvalDecisionSchema }),
  /** The undo journal's recent changes, newest first: UndoEntry[] (src/core/files/undo-journal.ts). */
  z.object({ op: z.literal('undo.list'), limit: z.number().int().min(1).optional() }),
  /** Puts a change back (audited as the local CLI): UndoResult; 'conflict' when the file changed since (force writes beside). */
  z.object({ op: z.literal('undo.apply'), id: z.string().min(1), force: z.boolean().optional() }),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;

export const controlResponseSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }) }),
]);
export type ControlResponse = z.infer<typeof controlResponseSchema>;
