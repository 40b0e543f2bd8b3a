import * as z from 'zod';

/** This machine's choices, kept in the user's config dir (XDG_CONFIG_HOME/openmates/config.json). */
export const settingsSchema = z.object({
  /** Undefined until the user has been asked whether this is a production server. */
  safetyMode: z.boolean().optional(),
  updateCheck: z.boolean().default(true),
  updateChannel: z.enum(['stable', 'prerelease']).default('stable'),
  /** Remote access: how long a change waits for a person before it counts as denied. */
  approvalTimeoutSeconds: z.number().int().min(10).max(7 * 24 * 3600).default(600),
  /** Remote access: the undo journal's bounds (what file changes replaced). */
  undoMaxBytes: z.number().int().min(1024 * 1024).default(1024 ** 3),
  undoMaxAgeDays: z.number().min(0.01).max(3650).default(7),
});

export type Settings = z.output<typeof settingsSchema>;
