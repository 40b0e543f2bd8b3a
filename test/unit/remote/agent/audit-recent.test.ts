import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../../../src/remote/agent/audit-log.js';
import type { AuditEntry } from '../../../../src/remote/agent/audit-record.js';
import { readRecentAudit } from '../../../../src/remote/agent/audit-recent.js';
import { verifyAuditLog } from '../../../../src/remote/agent/audit-verify.js';
import { auditHandlers } from '../../../../src/remote/agent/ops/audit-handlers.js';
import { classifyRequest, needsApproval } from '../../../../src/remote/agent/policy.js';
import { OPS } from '../../../../src/remote/protocol/ops.js';

let dir: string;
let log: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'audit-recent-')), 'remote');
  log = join(dir, 'audit.jsonl');
});
afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

// Targets of a few hundred bytes, so 600 records span several of the reader's 64 KiB blocks; ü and ✓ cross block edges as bytes.
const entry = (n: number, target = `folder-ü/${'x'.repeat(n % 300)}/file-${n}.txt ✓`): AuditEntry => ({
  device: { id: 'dev', name: 'phone' },
  role: 'operator',
  op: 'files.stat',
  target,
  decision: 'allowed',
  result: 'ok',
  bytes: n,
  durationMs: 1,
});

async function writeRecords(count: number, make = entry): Promise<void> {
  const audit = await openAuditLog(dir);
  for (let i = 1; i <= count; i++) void audit.append(make(i));
  await audit.close();
}

describe('readRecentAudit: the newest audit records, read from the end', () => {
  it('answers the newest first, up to the limit, and says whether older ones exist', async () => {
    await writeRecords(600);
    const first = await readRecentAudit(log, { limit: 50, maxBytes: 1 << 20 });
    expect(first.records.map((record) => record.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 600 - i));
    expect(first.records[0]!.target).toBe(entry(600).target);
    expect(first.more).toBe(true);
    expect((await readRecentAudit(log, { limit: 600, maxBytes: 1 << 30 })).more).toBe(false);
  });

  it('pages with `before` through the whole log: every record once, in order, the same as on disk', async () => {
    await writeRecords(600);
    const onDisk = (await readFile(log, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as unknown).reverse();
    const seen: unknown[] = [];
    let before: number | undefined;
    for (let page = 0; page < 100; page++) {
      const answer = await readRecentAudit(log, { limit: 37, ...(before !== undefined ? { before } : {}), maxBytes: 1 << 20 });
      seen.push(...answer.records);
      if (!answer.more) break;
      before = answer.records.at(-1)!.seq;
    }
    expect(seen).toEqual(onDisk);
  });

  it('stops at maxBytes (an answer must fit one frame), but always answers at least one record', async () => {
    await writeRecords(100, (n) => entry(n, `${'y'.repeat(1000)}-${n}`));
    const bounded = await readRecentAudit(log, { limit: 100, maxBytes: 10_000 });
    expect(bounded.records.length).toBeGreaterThan(5);
    expect(bounded.records.length).toBeLessThan(10);
    expect(bounded.more).toBe(true);
    const tiny = await readRecentAudit(log, { limit: 100, maxBytes: 10 });
    expect(tiny.records.map((record) => record.seq)).toEqual([100]);
  });

  it('passes over a line being appended and a damaged one; no log yet is no records', async () => {
    expect(await readRecentAudit(log, { limit: 10, maxBytes: 1 << 20 })).toEqual({ records: [], more: false });
    await writeRecords(3);
    await appendFile(log, '{"seq":4,"time":"2026-01-01T00:00:00.000Z","dev');
    const answer = await readRecentAudit(log, { limit: 10, maxBytes: 1 << 20 });
    expect(answer.records.map((record) => record.seq)).toEqual([3, 2, 1]);
  });
});

describe('audit.recent: a read for every device, redacted for every device', () => {
  it('is a read: it never waits for an approval, in safety mode either; its arguments are bounded', () => {
    const action = classifyRequest('audit.recent', {}, () => ({ risk: 'change', reasons: [], category: '' }));
    expect(action).toBe('read');
    expect(needsApproval(action, true)).toBe(false);
    expect(OPS['audit.recent'].args.safeParse({ limit: 501 }).success).toBe(false);
    expect(OPS['audit.recent'].args.safeParse({ limit: 0 }).success).toBe(false);
    expect(OPS['audit.recent'].args.safeParse({ limit: 500, before: 7 }).success).toBe(true);
  });

  it('redacts every text of the records (a secret known only since the line was written), keeps the chain hash, and the log still verifies', async () => {
    const secret = 'hunter2-correct-horse-battery';
    await writeRecords(3, (n) => ({ ...entry(n, `exec echo ${secret} #${n}`), reason: n === 2 ? `refused: ${secret}` : undefined, device: { id: 'dev', name: `phone ${secret}` } }));
    const redact = (text: string) => text.split(secret).join('<SECRET:root-env:PASSWORD:hu…ry>');
    const answer = (await auditHandlers(log, redact)['audit.recent']({ limit: 10 })) as { records: { target: string; reason?: string; device: { name: string }; prev: string }[]; more: boolean };
    expect(JSON.stringify(answer)).not.toContain(secret);
    expect(answer.records.map((record) => record.target)).toEqual(['exec echo <SECRET:root-env:PASSWORD:hu…ry> #3', 'exec echo <SECRET:root-env:PASSWORD:hu…ry> #2', 'exec echo <SECRET:root-env:PASSWORD:hu…ry> #1']);
    expect(answer.records[1]!.reason).toBe('refused: <SECRET:root-env:PASSWORD:hu…ry>');
    expect(answer.records[0]!.device.name).toBe('phone <SECRET:root-env:PASSWORD:hu…ry>');
    const onDisk = (await readFile(log, 'utf8')).trimEnd().split('\n').map((line) => (JSON.parse(line) as { prev: string }).prev).reverse();
    expect(answer.records.map((record) => record.prev)).toEqual(onDisk);
    expect(OPS['audit.recent'].result.safeParse(answer).success).toBe(true);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, records: 3 });
  });

  it('defaults to the newest 50', async () => {
    await writeRecords(60);
    const answer = (await auditHandlers(log, (text) => text)['audit.recent']({})) as { records: { seq: number }[]; more: boolean };
    expect(answer.records).toHaveLength(50);
    expect(answer.records[0]!.seq).toBe(60);
    expect(answer.more).toBe(true);
  });
});
