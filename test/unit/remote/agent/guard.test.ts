import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileOps } from '../../../../src/core/files/index.js';
import { openAuditLog, type AuditLog } from '../../../../src/remote/agent/audit-log.js';
import type { AuditRecord } from '../../../../src/remote/agent/audit-record.js';
import { guardHandlers } from '../../../../src/remote/agent/guard.js';
import { fileHandlers } from '../../../../src/remote/agent/ops/file-handlers.js';
import type { Handler, HandlerContext } from '../../../../src/remote/agent/ops/handler-types.js';
import { ApprovalStore } from '../../../../src/remote/agent/approvals/approval-store.js';
import type { Operations } from '../../../../src/core/operations.js';
import type { Approval } from '../../../../src/remote/protocol/approvals.js';
import type { OpName } from '../../../../src/remote/protocol/ops.js';

let base: string;
let root: string;
let audit: AuditLog;
let records: AuditRecord[];
let ran: string[];
let store: ApprovalStore;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'guard-'));
  root = join(base, 'shared');
  await mkdir(join(root, 'folder'), { recursive: true });
  await writeFile(join(root, 'notes.txt'), 'hello');
  audit = await openAuditLog(join(base, 'state'));
  records = [];
  ran = [];
  store = new ApprovalStore({ timeoutMs: 60_000 });
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
    approvals: { store, services: { files: createFileOps({ roots: [root], fullAccess: false }), roots: [root], classifyCommand: (command) => ({ risk: command === 'rm -rf /' ? 'destructive' : 'change', reasons: ['test'], category: 'files' }), operations: async () => fakeOperations, installDir: '/srv/openmates' }, redact: (text) => text, spillDir: join(base, 'state') },
    onRecord: (record) => records.push(record),
  });
}

const plan = { action: 'restart', installDir: '/srv/openmates', project: 'demo', services: [{ service: 'web' }], expectedDowntime: { summary: 'about 30 s.' }, clearCache: false, cacheVolumes: [] };
const fakeOperations = {
  planLifecycle: async (options: { action: string }) => ({ ...plan, action: options.action }),
  planUpdate: async () => ({ project: 'demo', current: '1.0.0', target: '1.1.0', images: ['registry/demo/web:1.1.0'], healthTimeout: 60 }),
} as unknown as Operations;

/** Decides the next approval the store asks for. */
function decideNext(decision: 'approve' | 'deny', reason?: string): Promise<Approval> {
  return new Promise((resolve, reject) => {
    const stop = store.watch((approval) => {
      if (approval.state !== 'pending') return;
      stop();
      store.decide({ id: approval.id, hash: approval.hash, decision, ...(reason ? { reason } : {}) }, { via: 'cli', name: 'alice' }).then(resolve, reject);
    });
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

  it.each(changes)('in safety mode %s waits; denied, it runs nothing and the denial is audited', async (op, args) => {
    const handlers = guarded(true);
    const decided = decideNext('deny', 'not now');
    await expect(call(handlers, op, args, context([new Uint8Array([1, 2])]))).rejects.toMatchObject({ kind: 'approval-denied', message: expect.stringContaining('Denied by alice (cli)') });
    const approval = await decided;
    expect(ran).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['folder', 'notes.txt']);
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('hello');
    // The guard answers a denial first and writes its record right after (so a stopping agent's callers hear it at once).
    await vi.waitFor(() => expect(records).toHaveLength(1));
    expect(records[0]).toMatchObject({ op, decision: 'refused', result: 'error', code: 'approval-denied', device: { name: 'ci' }, approval: { id: approval.id, decision: 'denied', by: 'alice' } });
  });

  it.each(changes)('in safety mode %s runs once approved', async (op, args) => {
    const handlers = guarded(true);
    const decided = decideNext('approve');
    await call(handlers, op, args, context([new Uint8Array([1, 2])]));
    const approval = await decided;
    expect(records.at(-1)).toMatchObject({ op, decision: 'allowed', approval: { id: approval.id, decision: 'approved', by: 'alice' } });
    if (op === 'files.write') expect(await readFile(join(root, 'new.txt'))).toEqual(Buffer.from([1, 2]));
    if (op.startsWith('server.') || op === 'exec') expect(ran).toEqual([op]);
  });

  it('tells the caller an approval is pending (one event, before anyone can decide)', async () => {
    const handlers = guarded(true);
    const events: unknown[] = [];
    const ctx = { ...context(), emit: (event: unknown) => events.push(event) };
    const decided = decideNext('approve');
    await call(handlers, 'files.mkdir', { path: 'made' }, ctx);
    const approval = await decided;
    expect(events).toEqual([{ approval: { id: approval.id, headline: approval.headline, expiresAt: approval.expiresAt } }]);
  });

  it('approved for the session: the same op under the same folder from the same device runs without asking, until the device is gone', async () => {
    const handlers = guarded(true);
    const asked: Approval[] = [];
    store.watch((approval) => {
      if (approval.state !== 'pending') return;
      asked.push(approval);
      void store.decide({ id: approval.id, hash: approval.hash, decision: 'approve', forSession: true }, { via: 'cli', name: 'alice' });
    });
    await call(handlers, 'files.write', { path: 'folder/one.txt' }, context([new TextEncoder().encode('1')]));
    await call(handlers, 'files.write', { path: 'folder/two.txt' }, context([new TextEncoder().encode('2')]));
    expect(asked).toHaveLength(1);
    expect(records.at(-1)).toMatchObject({ op: 'files.write', decision: 'allowed', approval: { id: asked[0]!.id, decision: 'session-grant', by: 'alice' } });
    await call(handlers, 'files.write', { path: 'three.txt' }, context([new TextEncoder().encode('3')]));
    expect(asked).toHaveLength(2); // another folder: asked again
    store.deviceGone('d1');
    await call(handlers, 'files.write', { path: 'folder/four.txt' }, context([new TextEncoder().encode('4')]));
    expect(asked).toHaveLength(3);
    expect(await readFile(join(root, 'folder', 'two.txt'), 'utf8')).toBe('2');
  });

  it('a write approved after the file changed is a conflict and overwrites nothing', async () => {
    const handlers = guarded(true);
    const pending = new Promise<Approval>((resolve) => {
      const stop = store.watch((approval) => {
        if (approval.state === 'pending') {
          stop();
          resolve(approval);
        }
      });
    });
    const result = call(handlers, 'files.write', { path: 'notes.txt' }, context([new TextEncoder().encode('mine')]));
    const approval = await pending;
    expect(approval.details).toMatchObject({ kind: 'write', diff: expect.stringContaining('-hello') });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await writeFile(join(root, 'notes.txt'), 'theirs, longer');
    await store.decide({ id: approval.id, hash: approval.hash, decision: 'approve' }, { via: 'cli', name: 'alice' });
    await expect(result).rejects.toMatchObject({ kind: 'conflict' });
    expect(await readFile(join(root, 'notes.txt'), 'utf8')).toBe('theirs, longer');
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
