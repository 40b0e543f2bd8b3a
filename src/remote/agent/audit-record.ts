import { createHash } from 'node:crypto';
import type { AuditLine } from '../protocol/audit-line.js';

/** One line of audit.jsonl: the protocol's shape (audit.recent answers records as they are on disk; auditLineSchema reads it). */
export type AuditRecord = AuditLine;
export type AuditEntry = Omit<AuditRecord, 'seq' | 'time' | 'prev'>;

export const GENESIS = 'openmates-remote-audit-v1';

export function lineHash(line: string): string {
  return createHash('sha256').update(line).digest('hex');
}

export const GENESIS_HASH = lineHash(GENESIS);
