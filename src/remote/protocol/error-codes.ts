import * as z from 'zod';
import type { ErrorKind } from '../../core/errors.js';

const KINDS = {
  usage: true,
  'invalid-stack': true,
  preflight: true,
  'engine-unreachable': true,
  'needs-answer': true,
  'not-installed': true,
  unsafe: true,
  'operation-failed': true,
  'health-timeout': true,
  'invalid-config': true,
  interrupted: true,
  'login-failed': true,
  'confirmation-required': true,
  'rolled-back': true,
  'rollback-failed': true,
  'device-refused': true,
  'approval-denied': true,
  refused: true,
  conflict: true,
  disconnected: true,
} as const satisfies Record<ErrorKind, true>; // a new ErrorKind fails to compile until it is listed here

export const ERROR_KINDS = Object.keys(KINDS) as ErrorKind[];

export const errorKindSchema = z.enum(ERROR_KINDS as [ErrorKind, ...ErrorKind[]]);

/** An error as it crosses the channel: the kind decides the caller's exit code. */
export const wireErrorSchema = z.object({
  code: errorKindSchema,
  message: z.string(),
  hint: z.string().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;
