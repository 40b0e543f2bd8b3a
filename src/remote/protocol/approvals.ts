import * as z from 'zod';

/**
 * An approval request as every face renders it (the CLI, the full-screen app, the SDK, the web
 * page): what a person needs to decide in ten seconds. Texts carry secret tokens only, never values.
 */
const deviceRef = z.object({ id: z.string(), name: z.string(), role: z.enum(['operator', 'approver']) });

export const approvalDetailsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('write'),
    path: z.string(),
    /** null: the file does not exist yet. */
    before: z.object({ size: z.number(), version: z.string() }).nullable(),
    after: z.object({ size: z.number() }),
    binary: z.boolean(),
    /** Unified diff (text files), bounded; `diffTruncated` says when lines were left out. */
    diff: z.string().optional(),
    diffTruncated: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('delete'), path: z.string(), files: z.number(), folders: z.number(), bytes: z.number(), sample: z.array(z.string()) }),
  z.object({ kind: z.enum(['move', 'copy']), src: z.string(), dst: z.string(), bytes: z.number(), overwrites: z.boolean() }),
  z.object({ kind: z.literal('mkdir'), path: z.string(), parents: z.boolean() }),
  z.object({
    kind: z.literal('command'),
    command: z.string(),
    cwd: z.string(),
    /** Why it counts as a change (the classifier's reasons). */
    reasons: z.array(z.string()),
    category: z.string(),
    /** What it may touch, in words ("files under /srv/app", "the network", "services"). */
    mayTouch: z.array(z.string()),
    destructive: z.boolean(),
  }),
  z.object({
    kind: z.literal('service'),
    action: z.enum(['start', 'stop', 'restart', 'update']),
    /** The core's disruption text (src/core/safety/disruption.ts). */
    headline: z.string(),
    downtime: z.string(),
    services: z.array(z.string()),
    consequences: z.array(z.string()),
  }),
  /** A shell: approved as a whole, since what is typed into it is not checked command by command. */
  z.object({ kind: z.literal('terminal'), shell: z.string(), cwd: z.string(), warning: z.string() }),
  z.object({ kind: z.literal('other'), description: z.string() }),
]);

export const approvalStateSchema = z.enum(['pending', 'approved', 'denied', 'expired', 'cancelled']);

export const approvalSchema = z.object({
  /** Short and typeable (e.g. "k7p2qd"). */
  id: z.string(),
  /** sha256 (hex) of what the request does (op, args, content): a decision names it, so it cannot approve something else. */
  hash: z.string(),
  op: z.string(),
  /** The action in one sentence. */
  headline: z.string(),
  targets: z.array(z.string()),
  device: deviceRef,
  requestedAt: z.string(),
  expiresAt: z.string(),
  details: approvalDetailsSchema,
  undo: z.object({ possible: z.boolean(), how: z.string() }),
  /** false for destructive requests: they can only be approved once. */
  forSessionAllowed: z.boolean(),
  state: approvalStateSchema,
  decidedAt: z.string().optional(),
  /** Who decided: a device, or a person on the server (`cli`, `app`). */
  decidedBy: z.object({ via: z.enum(['device', 'cli', 'app', 'agent']), name: z.string(), deviceId: z.string().optional() }).optional(),
  forSession: z.boolean().optional(),
  reason: z.string().optional(),
});

export const approvalDecisionSchema = z.object({
  id: z.string().min(1).max(64),
  /** The hash the decider saw; a mismatch is refused. */
  hash: z.string().min(1).max(128),
  decision: z.enum(['approve', 'deny']),
  forSession: z.boolean().optional(),
  reason: z.string().max(500).optional(),
});

export type ApprovalDetails = z.infer<typeof approvalDetailsSchema>;
export type ApprovalState = z.infer<typeof approvalStateSchema>;
export type Approval = z.infer<typeof approvalSchema>;
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;
