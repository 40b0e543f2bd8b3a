import type { ErrorKind } from '../core/errors.js';

/** Documented in README.md ("Exit codes"); keep both in step. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalidStack: 3,
  preflight: 4,
  engineUnreachable: 5,
  operationFailed: 6,
  healthTimeout: 7,
  unsafe: 8,
  needsAnswer: 9,
  notInstalled: 10,
  interrupted: 130,
} as const;

const byKind: Record<ErrorKind, number> = {
  usage: EXIT.usage,
  'invalid-stack': EXIT.invalidStack,
  preflight: EXIT.preflight,
  'engine-unreachable': EXIT.engineUnreachable,
  'operation-failed': EXIT.operationFailed,
  'health-timeout': EXIT.healthTimeout,
  unsafe: EXIT.unsafe,
  'needs-answer': EXIT.needsAnswer,
  'not-installed': EXIT.notInstalled,
  interrupted: EXIT.interrupted,
};

export function exitCodeFor(kind: ErrorKind): number {
  return byKind[kind];
}
