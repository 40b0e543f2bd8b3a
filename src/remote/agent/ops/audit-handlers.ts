import type { OpArgs } from '../../protocol/ops.js';
import { readRecentAudit } from '../audit-recent.js';
import { redactDeep } from '../redact-values.js';

const DEFAULT_LIMIT = 50;
/** Well under a sealed frame (4 MiB), with room for the JSON around the records. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * audit.recent: the newest lines of the audit log, for every device. The log holds tokens only
 * (it is written through the redactor), and the answer passes the redactor again for every device,
 * raw-secrets approvers too: a secret that became known after a line was written does not leave either.
 */
export function auditHandlers(auditPath: string, redact: (text: string) => string) {
  return {
    async 'audit.recent'(args: OpArgs<'audit.recent'>) {
      const recent = await readRecentAudit(auditPath, { limit: args.limit ?? DEFAULT_LIMIT, ...(args.before !== undefined ? { before: args.before } : {}), maxBytes: MAX_ANSWER_BYTES });
      // The chain hash stays as written: it is what `audit --verify` compares, and no secret.
      return { ...recent, records: recent.records.map(({ prev, ...record }) => ({ ...(redactDeep(record, redact) as typeof record), prev })) };
    },
  };
}
