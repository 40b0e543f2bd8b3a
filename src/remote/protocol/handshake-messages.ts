import * as z from 'zod';
import { errorKindSchema } from './error-codes.js';

const key = z.string().regex(/^[A-Za-z0-9_-]{43}$/, '32 bytes of base64url');
const deviceId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, '16 bytes of base64url');

/** client → agent, plain text frame: the first frame on a connection. */
export const helloSchema = z.object({
  type: z.literal('hello'),
  protocol: z.string(),
  versions: z.array(z.number().int()).min(1).max(16),
  deviceId,
  clientEphemeral: key,
});
export type Hello = z.infer<typeof helloSchema>;

/** agent → client, plain text frame. */
export const welcomeSchema = z.object({
  type: z.literal('welcome'),
  version: z.number().int(),
  agentEphemeral: key,
});
export type Welcome = z.infer<typeof welcomeSchema>;

/** Either side, plain or sealed: why the connection ends now. */
export const refusedSchema = z.object({
  type: z.literal('refused'),
  code: errorKindSchema,
  message: z.string(),
  hint: z.string().optional(),
});
export type Refused = z.infer<typeof refusedSchema>;

export const deviceRoleSchema = z.enum(['operator', 'approver']);
export type DeviceRole = z.infer<typeof deviceRoleSchema>;

/** Sealed control messages (plaintext tag CONTROL, see channel/frames.ts). */
export const controlSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, '64 bytes of base64url') }),
  z.object({ type: z.literal('ready'), device: z.object({ id: deviceId, name: z.string(), role: deviceRoleSchema }) }),
  refusedSchema,
  z.object({ type: z.literal('close'), reason: z.string() }),
]);
export type Control = z.infer<typeof controlSchema>;
