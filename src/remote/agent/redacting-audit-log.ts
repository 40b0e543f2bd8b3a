import type { Redactor } from '../../core/secrets/index.js';
import type { AuditLog } from './audit-log.js';

/** The audit log with every text of a record (target, reason, device name) through the redactor: it carries tokens only. */
export function redactingAuditLog(audit: AuditLog, secrets: Pick<Redactor, 'redact'>): AuditLog {
  return {
    get path() {
      return audit.path;
    },
    append: (entry) => {
      const redacted = Object.fromEntries(Object.entries(entry).map(([key, value]) => [key, typeof value === 'string' ? secrets.redact(value) : value]));
      return audit.append({ ...entry, ...redacted });
    },
    close: () => audit.close(),
  };
}
