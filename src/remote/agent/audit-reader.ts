import { open } from 'node:fs/promises';
import { sleep } from '../../core/sleep.js';
import { auditLineSchema } from '../protocol/audit-line.js';
import type { AuditRecord } from './audit-record.js';
import { auditPaths } from './audit-log.js';

/**
 * Hands over the audit log's records in order; with `follow`, keeps reading new ones (polling
 * the file, which works whether or not this process wrote them) until `signal` aborts.
 */
export async function readAuditLog(stateDir: string, onRecord: (record: AuditRecord) => void, options: { follow: boolean; signal?: AbortSignal }): Promise<number> {
  const path = auditPaths(stateDir).log;
  let position = 0;
  let rest = '';
  let count = 0;
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (handle) {
      try {
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
          if (bytesRead === 0) break;
          position += bytesRead;
          const lines = (rest + decoder.decode(buffer.subarray(0, bytesRead), { stream: true })).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) {
            if (!line) continue;
            const parsed = auditLineSchema.safeParse(safeJson(line));
            if (parsed.success) {
              count++;
              onRecord(parsed.data);
            }
          }
        }
      } finally {
        await handle.close();
      }
    }
    if (!options.follow || options.signal?.aborted) return count;
    await sleep(300, options.signal);
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
