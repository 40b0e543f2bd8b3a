import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog, readHead } from '../../../../src/remote/agent/audit-log.js';
import { lineHash, type AuditEntry } from '../../../../src/remote/agent/audit-record.js';
import { verifyAuditLog } from '../../../../src/remote/agent/audit-verify.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'audit-')), 'remote');
});
afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

const entry = (n: number): AuditEntry => ({
  device: { id: 'dev', name: 'phone' },
  role: 'operator',
  op: 'files.stat',
  target: `file-${n}.txt`,
  decision: 'allowed',
  result: 'ok',
  bytes: n,
  durationMs: 1,
});

async function writeRecords(count: number): Promise<string[]> {
  const log = await openAuditLog(dir);
  await Promise.all(Array.from({ length: count }, (_, i) => log.append(entry(i + 1))));
  await log.close();
  return (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trimEnd().split('\n');
}

const rewrite = (lines: string[]) => writeFile(join(dir, 'audit.jsonl'), `${lines.join('\n')}\n`);

describe('audit log', () => {
  it('keeps records in order, chained, in a 0600 file in a 0700 dir, and verifies', async () => {
    const lines = await writeRecords(5);
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.map((line) => JSON.parse(line).target)).toEqual(['file-1.txt', 'file-2.txt', 'file-3.txt', 'file-4.txt', 'file-5.txt']);
    expect((await stat(join(dir, 'audit.jsonl'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'audit.head.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, records: 5 });
  });

  it('reads the head back; a damaged head is invalid-config naming it (not JSON, a count that is not a whole number, no hash)', async () => {
    const lines = await writeRecords(3);
    const head = join(dir, 'audit.head.json');
    expect(await readHead(head)).toEqual({ count: 3, last: lineHash(lines[2]!) });
    for (const text of ['{nope', '{"count":1.5,"last":"x"}', '{"count":-1,"last":"x"}', '{"count":2}', 'null']) {
      await writeFile(head, text);
      await expect(readHead(head), text).rejects.toMatchObject({ kind: 'invalid-config', message: expect.stringContaining('audit.head.json') });
    }
  });

  it('continues the chain after a restart', async () => {
    await writeRecords(2);
    const lines = await writeRecords(2);
    expect(lines).toHaveLength(4);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, records: 4 });
  });

  it('names an edited line', async () => {
    const lines = await writeRecords(5);
    lines[2] = lines[2]!.replace('file-3.txt', 'file-9.txt');
    await rewrite(lines);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, problem: { line: 3 } });
  });

  it('names an edited last line (only the head knows its hash)', async () => {
    const lines = await writeRecords(3);
    lines[2] = lines[2]!.replace('"bytes":3', '"bytes":30');
    await rewrite(lines);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, problem: { line: 3 } });
  });

  it('names reordered lines', async () => {
    const lines = await writeRecords(5);
    [lines[1], lines[3]] = [lines[3]!, lines[1]!];
    await rewrite(lines);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, problem: { line: 2 } });
  });

  it('finds a line removed from the middle', async () => {
    const lines = await writeRecords(5);
    lines.splice(2, 1);
    await rewrite(lines);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, problem: { line: 3 } });
  });

  it('finds a log cut off at the end', async () => {
    const lines = await writeRecords(5);
    await rewrite(lines.slice(0, 3));
    const result = await verifyAuditLog(dir);
    expect(result).toMatchObject({ ok: false, problem: { line: 4 } });
    expect(result.problem?.reason).toMatch(/cut off at the end/);
  });

  it('finds a line that is not JSON', async () => {
    const lines = await writeRecords(3);
    lines[1] = 'garbage';
    await rewrite(lines);
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: false, problem: { line: 2 } });
  });

  it('an empty state dir verifies as an empty log', async () => {
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, records: 0 });
  });
});
