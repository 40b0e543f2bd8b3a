import * as z from 'zod';

/** update-state.json: read only when an update is in progress or was interrupted, so status loads zod only then. */
export const stateSchema = z.object({
  format: z.literal(1),
  from: z.string().min(1),
  to: z.string().min(1),
  phase: z.enum(['pulling', 'backing-up', 'switching', 'waiting', 'rolling-back']),
  startedAt: z.string(),
  updatedAt: z.string(),
  pid: z.number().int(),
  backupFile: z.string().optional(),
  newVersionStarted: z.boolean(),
  previousCompose: z.string().optional(),
  targetCompose: z.string().optional(),
  failure: z.string().optional(),
});
