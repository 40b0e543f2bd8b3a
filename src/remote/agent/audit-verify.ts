import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { auditLineSchema } from '../protocol/audit-line.js';
import { GENESIS_HASH, lineHash } from './audit-record.js';
import { auditPaths, readHead } from './audit-log.js';

export interface AuditVerification {
  ok: boolean;
  /** Records read and found intact (before the first bad line). */
  records: number;
  /** The first bad line (1-based) and what is wrong with it. */
  problem?: { line: number; reason: string };
  path: string;
}

/**
 * Walks the chain: every line must parse, carry the next sequence number and the hash of the
 * line before; the head file must agree with the last line (else the end was cut off).
 */
export async function verifyAuditLog(stateDir: string): Promise<AuditVerification> {
  const paths = auditPaths(stateDir);
  const head = await readHead(paths.head);
  let records = 0;
  let previous = GENESIS_HASH;
  let beforePrevious = GENESIS_HASH;
  const bad = (line: number, reason: string): AuditVerification => ({ ok: false, records, problem: { line, reason }, path: paths.log });
  let lines;
  try {
    lines = createInterface({ input: createReadStream(paths.log), crlfDelay: Infinity });
    let number = 0;
    for await (const line of lines) {
      number++;
      let parsed;
      try {
        parsed = auditLineSchema.safeParse(JSON.parse(line));
      } catch {
        return bad(number, 'it is not a JSON record');
      }
      if (!parsed.success) return bad(number, 'it is not an audit record');
      if (parsed.data.seq !== number) return bad(number, `it carries sequence number ${parsed.data.seq} where ${number} belongs (lines removed or reordered)`);
      if (parsed.data.prev !== previous) {
        if (number === 1) return bad(1, 'it does not start the chain');
        // The sequence is intact, so the line before is the one whose text changed.
        records--;
        return bad(number - 1, `it was changed after it was written (line ${number} recorded another hash for it)`);
      }
      beforePrevious = previous;
      previous = lineHash(line);
      records++;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (head && head.count > 0) return bad(1, `the log is missing, but ${head.count} records were written`);
    return { ok: true, records: 0, path: paths.log };
  }
  if (head) {
    if (head.count > records) return bad(records + 1, `the log ends after ${records} records, but ${head.count} were written (cut off at the end)`);
    // A stop between writing the last line and the head leaves the head one record behind.
    const headLagsOne = head.count === records - 1 && head.last === beforePrevious;
    if (head.count < records && !headLagsOne) return bad(head.count + 1, `there are more records (${records}) than were written (${head.count})`);
    if (headLagsOne) return { ok: true, records, path: paths.log };
    if (head.last !== previous) return bad(records, 'the last line was changed (hash mismatch with the head)');
  }
  return { ok: true, records, path: paths.log };
}
