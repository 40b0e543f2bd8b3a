import { open } from 'node:fs/promises';
import { auditLineSchema } from '../protocol/audit-line.js';
import type { AuditRecord } from './audit-record.js';

const BLOCK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface RecentAudit {
  /** Newest first. */
  records: AuditRecord[];
  /** Older records exist beyond these (the next page: `before` = the last one's seq). */
  more: boolean;
}

/**
 * The newest audit records, read from the end of the log backwards, so the answer costs the
 * same however long the log has grown. Stops at `limit` records or when their lines reach
 * `maxBytes` (an answer must fit one sealed frame; at least one record is always answered).
 * `before`: only records with a smaller seq. A line that does not parse (one being appended
 * right now, a damaged one) is passed over: `audit --verify` is where damage is reported.
 */
export async function readRecentAudit(path: string, options: { limit: number; before?: number; maxBytes: number }): Promise<RecentAudit> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return { records: [], more: false };
  const records: AuditRecord[] = [];
  let bytes = 0;
  try {
    let position = (await handle.stat()).size;
    // The start of the line that begins before the block read last (its end is in that block).
    let carry = Buffer.alloc(0);
    while (position > 0) {
      const start = Math.max(0, position - BLOCK_BYTES);
      const block = Buffer.alloc(position - start);
      await handle.read(block, 0, block.length, start);
      position = start;
      const text = Buffer.concat([block, carry]);
      let end = text.length;
      for (let index = text.length - 1; index >= -1; index--) {
        if (index >= 0 && text[index] !== NEWLINE) continue;
        // The first line of this block may begin in the block before: keep it until that is read.
        if (index < 0 && position > 0) break;
        const line = text.subarray(index + 1, end);
        end = Math.max(index, 0);
        const record = parseLine(line);
        if (!record || (options.before !== undefined && record.seq >= options.before)) continue;
        if (records.length >= options.limit || (records.length > 0 && bytes + line.length > options.maxBytes)) return { records, more: true };
        records.push(record);
        bytes += line.length;
      }
      carry = Buffer.from(text.subarray(0, end));
    }
    return { records, more: false };
  } finally {
    await handle.close();
  }
}

function parseLine(line: Buffer): AuditRecord | undefined {
  if (line.length === 0) return undefined;
  try {
    const parsed = auditLineSchema.safeParse(JSON.parse(line.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
