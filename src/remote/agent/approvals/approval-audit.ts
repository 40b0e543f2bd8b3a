import type { AuditEntry } from '../audit-record.js';
import type { ApprovalAuditEvent } from './approval-store.js';

/** A decision (or a refused attempt at one) as its own audit record: op approvals.decide, by whom, about which request. */
export function approvalAuditEntry(event: ApprovalAuditEvent): AuditEntry {
  const about = event.approval ? `${event.approvalId} ${event.approval.op} ${event.approval.targets[0] ?? ''}`.trim() : event.approvalId;
  return {
    device: { id: event.by.deviceId ?? event.by.via, name: event.by.name },
    role: event.by.role ?? event.by.via,
    op: 'approvals.decide',
    target: about,
    decision: event.outcome === 'refused' ? 'refused' : 'allowed',
    ...(event.reason ? { reason: event.reason } : {}),
    result: event.outcome === 'refused' ? 'error' : 'ok',
    ...(event.outcome === 'refused' ? { code: 'refused' } : {}),
    bytes: 0,
    durationMs: 0,
    approval: { id: event.approvalId, decision: event.outcome, by: event.by.name },
  };
}
