import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileOps, openUndoJournal, type UndoJournal } from '../../../../src/core/files/index.js';
import { openAuditLog } from '../../../../src/remote/agent/audit-log.js';
import { auditTarget } from '../../../../src/remote/agent/audit-target.js';
import { guardHandlers } from '../../../../src/remote/agent/guard.js';
import { fileHandlers } from '../../../../src/remote/agent/ops/file-handlers.js';
import type { Handler, HandlerContext } from '../../../../src/remote/agent/ops/handler-types.js';
import { undoHandlers } from '../../../../src/remote/agent/ops/undo-handlers.js';
import { classifyRequest, needsApproval } from '../../../../src/remote/agent/policy.js';
import { ApprovalStore } from '../../../../src/remote/agent/approvals/approval-store.js';
import type { OpName } from '../../../../src/remote/protocol/ops.js';

let base: string;
let journal: UndoJournal;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'undo-ops-'));
  await mkdir(join(base, 'shared'));
  await mkdir(join(base, 'other'));
  journal = openUndoJournal({ dir: join(base, 'state', 'undo'), bounds: async () => ({ maxBytes: 1024 ** 3, maxAgeDays: 7 }) });
});
afterEach(() => rm(base, { recursive: true, force: true }));

const context: HandlerContext = {
  device: { id: 'd1', name: 'phone', role: 'operator' },
  signal: new AbortController().signal,
  emit: () => {},
  sendChunk: async () => {},
  receiveChunks: async function* () {},
};

describe('undo ops on the agent', () => {
  it('undo.list is a read and undo.apply a restore, which the safety gate lets through', () => {
    expect(classifyRequest('undo.list', {}, () => ({ risk: 'change', reasons: [], category: '' }))).toBe('read');
    expect(classifyRequest('undo.apply', { id: 'x' }, () => ({ risk: 'change', reasons: [], category: '' }))).toBe('restore');
    expect(needsApproval('restore', true)).toBe(false);
    expect(needsApproval('change', true)).toBe(true);
  });

  it('the audit target names the entry and, once done, the paths put back', () => {
    expect(auditTarget('undo.apply', { id: 'abc234', force: true }, '/install', { restored: ['/srv/a.txt.undo-abc234'] })).toBe('entry abc234 (force): /srv/a.txt.undo-abc234');
    expect(auditTarget('undo.apply', { id: 'abc234' }, '/install')).toBe('entry abc234');
  });

  it('records the calling device, undoes in safety mode, and refuses an entry outside the folders shared now', async () => {
    const shared = join(base, 'shared');
    const files = createFileOps({ roots: [shared], fullAccess: false }, { journal });
    const elsewhere = createFileOps({ roots: [join(base, 'other')], fullAccess: false }, { journal });
    await writeFile(join(shared, 'a.txt'), 'before');
    await writeFile(join(base, 'other', 'b.txt'), 'before');
    await fileHandlers(files)['files.remove']({ path: 'a.txt' }, context);
    await elsewhere.remove('b.txt');
    const audit = await openAuditLog(join(base, 'state'));
    try {
      const handlers = guardHandlers({ ...fileHandlers(files), ...undoHandlers(journal, files) } as unknown as Record<OpName, Handler>, {
        safetyMode: () => true,
        classifyCommand: () => ({ risk: 'change', reasons: [], category: '' }),
        audit,
        installDir: '/install',
        // Nobody answers: a change is denied when the short timeout runs out, an undo never asks.
        approvals: { store: new ApprovalStore({ timeoutMs: 100 }), services: { files, roots: [shared], classifyCommand: () => ({ risk: 'change', reasons: [], category: '' }), operations: async () => ({}) as never, installDir: '/install' }, redact: (text) => text, spillDir: join(base, 'state') },
      });
      const call = (op: OpName, args: unknown) => (handlers[op] as (args: unknown, context: HandlerContext) => Promise<unknown>)(args, context);
      const { entries } = (await call('undo.list', {})) as { entries: { id: string; path: string; device: { name: string } }[] };
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ path: join(shared, 'a.txt'), device: { name: 'phone' } });
      await expect(call('files.mkdir', { path: 'c' })).rejects.toMatchObject({ kind: 'approval-denied' });
      await call('undo.apply', { id: entries[0]!.id });
      expect(await readFile(join(shared, 'a.txt'), 'utf8')).toBe('before');
      const outside = (await journal.list()).find((entry) => entry.path.endsWith('b.txt'))!;
      await expect(call('undo.apply', { id: outside.id })).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('outside the folders shared now') });
      expect((await journal.list()).find((entry) => entry.id === entries[0]!.id)).toMatchObject({ state: 'undone', undone: { device: { name: 'phone' } } });
    } finally {
      await audit.close();
    }
  });
});
