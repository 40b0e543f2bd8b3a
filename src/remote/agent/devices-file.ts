import * as z from 'zod';

const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['operator', 'approver']),
  /** Ed25519 public key (base64url): enough to check a device, useless to impersonate one. */
  publicKey: z.string(),
  created: z.string(),
  revoked: z.string().optional(),
  /** An approver that sees secrets as they are (`devices add --raw-secrets`); absent in files from before it existed. */
  rawSecrets: z.boolean().optional(),
});

/** devices.json: loaded only when its text was not seen before (see readDevices), so `status` need not load zod. */
export const devicesFileSchema = z.object({ version: z.literal(1), devices: z.array(deviceSchema) });

export type DeviceRecord = z.infer<typeof deviceSchema>;
