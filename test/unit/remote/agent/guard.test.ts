import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { openAuditLog, type AuditLog } from '../../../../src/remote/agent/audit-log.js';
import type { AuditRecord } from '../../../../src/remote/agent/audit-record.js';
import { guardHandlers } from '../../../../src/remote/agent/guard.js';
import { fileHandlers } from '../../../../src/remote/agent/ops/file-handlers.js';
import type { Handler, HandlerContext } from '../../../../src/remote/agent/ops/handler-types.js';
import { NEEDS_APPROVAL_MESSAGE } from '../../../../src/remote/agent/policy.js';
import type { OpName } from '../../../../src/remote/protocol/ops.js';

let base: string;
let root: string;
let audit: AuditLog;
let records: AuditRecord[];
let ran: string[];

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'guard-'));
  root = join(base, 'shared');
  await mkdir(join(root, 'folder'), { recursive: true });
  await writeFile(join(root, 'notes.txt'), 'hello');
  audit = await openAuditLog(join(base, 'state'));
  records = [];
  ran = [];
});
afterEach(async () => {
  await audit.close();
  await rm(base, { recursive: true, force: true });
});

function context(upload: Uint8Array[] = []): HandlerContext & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    device: { id: 'd1', name: 'ci', role: 'operator' },
    signal: new AbortController().signal,
    emit: () => {},
    sent,
    sendChunk: async (bytes) => void sent.push(bytes),
    receiveChunks: async function* () {
      yield* upload;
    },
  };
}

function guarded(safetyMode: boolean) {
  const files = fileHandlers(createFileOps({ roots: [root], fullAccess: false }));
  const spy = (op: string): Handler => (async () => {
    ran.push(op);
    return {};
  }) as Handler;
  const handlers = {
    ...files,
    host: spy('host'),
    exec: spy('exec'),
    'server.status': spy('server.status'),
    'server.logs': spy('server.logs'),
    'server.start': spy('server.start'),
    'server.stop': spy('server.stop'),
    'server.restart': spy('server.restart'),
    'server.update': spy('server.update'),
  } as unknown as Record<OpName, Handler>;
  return guardHandlers(handlers, {
    safetyMode: () => safetyMode,
    classifyCommand: (command) => ({ risk: command === 'ls' ? 'read' : 'change', reasons: [], category: 'test' }),
    audit,
    installDir: '/srv/openmates',
    onRecord: (record) => records.push(record),
  });
}

const call = (handlers: Record<OpName, Handler>, op: OpName, args: unknown, ctx = context()) => (handlers[op] as (a: unknown, c: HandlerContext) => Promise<unknown>)(args, ctx);

describe('the safety gate', () => {
  const changes: [OpName, unknown][] = [
    ['files.write', { path: 'new.txt', size: 2 }],
    ['files.mkdir', { path: 'made' }],
    ['files.copy', { src: 'notes.txt', dst: 'copy.txt' }],
    ['files.move', { src: 'notes.txt', dst: 'moved.txt' }],
    ['files.remove', { path: 'notes.txt' }],
    ['exec', { command: 'touch x' }],
    ['server.start', {}],
    ['server.stop', {}],
    ['server.restart', {}],
    ['server.update', {}],
  ];

  it.each(changes)('refuses %s in safety mode, runs nothing, audits the refusal', async (op, args) => {
    const handlers = guarded(true);
    await expect(call(handlers, op, args, context([new Uint8Array([1, 2])]))).rejects.toMatchObject({ kind: 'refused', message: NEEDS_APPROVAL_MESSAGE });
    expect(ran).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['folder', 'notes.txt']);
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('hello');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ op, decision: 'refused', result: 'error', code: 'refused', device: { name: 'ci' } });
  });

  it('lets reads through in safety mode', async () => {
    const handlers = guarded(true);
    const ctx = context();
    await call(handlers, 'files.read', { path: 'notes.txt' }, ctx);
    expect(Buffer.concat(ctx.sent).toString()).toBe('hello');
    await call(handlers, 'exec', { command: 'ls' });
    await call(handlers, 'server.status', {});
    expect(ran).toEqual(['exec', 'server.status']);
    expect(records.map((record) => [record.op, record.decision, record.result])).toEqual([
      ['files.read', 'allowed', 'ok'],
      ['exec', 'allowed', 'ok'],
      ['server.status', 'allowed', 'ok'],
    ]);
    expect(records[0]!.bytes).toBe(5);
  });

  it('runs changes with safety mode off and audits bytes', async () => {
    const handlers = guarded(false);
    await call(handlers, 'files.write', { path: 'new.txt', size: 3 }, context([new TextEncoder().encode('abc')]));
    expect(await readFile(join(root, 'new.txt'), 'utf8')).toBe('abc');
    expect(records[0]).toMatchObject({ op: 'files.write', target: 'new.txt', decision: 'allowed', result: 'ok', bytes: 3 });
  });

  it('a short upload never becomes the file', async () => {
    const handlers = guarded(false);
    await expect(call(handlers, 'files.write', { path: 'new.txt', size: 10 }, context([new TextEncoder().encode('abc')]))).rejects.toMatchObject({ kind: 'usage' });
    expect((await readdir(root)).sort()).toEqual(['folder', 'notes.txt']);
  });

  it('records a scope refusal from the file ops as the policy\'s', async () => {
    const handlers = guarded(false);
    await expect(call(handlers, 'files.stat', { path: '../../etc/passwd' })).rejects.toMatchObject({ kind: 'refused' });
    expect(records[0]).toMatchObject({ decision: 'refused', code: 'refused' });
  });

  it('bad arguments are a usage error, audited', async () => {
    const handlers = guarded(false);
    await expect(call(handlers, 'files.stat', { path: 42 })).rejects.toMatchObject({ kind: 'usage' });
    expect(records[0]).toMatchObject({ op: 'files.stat', result: 'error', code: 'usage' });
  });

  it('keeps secrets out of the audit target of a command', async () => {
    const handlers = guarded(false);
    await call(handlers, 'exec', { command: 'API_KEY=sk-verysecret123 curl x', env: { DB_PASSWORD: 'hunter22' } });
    const text = await readFile(audit.path, 'utf8');
    expect(text).not.toContain('sk-verysecret123');
    expect(text).not.toContain('hunter22');
    expect(records[0]!.target).toBe('[env DB_PASSWORD] API_KEY=<secret> curl x');
  });
});
