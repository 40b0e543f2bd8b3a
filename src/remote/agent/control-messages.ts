import { z } from 'zod';

/** What `remote-access status/stop/devices` ask the running agent, one JSON line each way. */
export const controlRequestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('status') }),
  z.object({ op: z.literal('stop') }),
  z.object({ op: z.literal('devices') }),
  z.object({ op: z.literal('devices.add'), name: z.string(), role: z.enum(['operator', 'approver']) }),
  z.object({ op: z.literal('devices.revoke'), name: z.string() }),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;

export const controlResponseSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }) }),
]);
export type ControlResponse = z.infer<typeof controlResponseSchema>;
