import { mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Operations } from '../../../../../src/core/operations.js';
import { createFileOps } from '../../../../../src/core/files/index.js';
import { classifyCommand } from '../../../../../src/core/exec/classify-command.js';
import { explainRequest, type ExplainRequest } from '../../../../../src/remote/agent/approvals/explain.js';
import type { ExplainServices } from '../../../../../src/remote/agent/approvals/explain-types.js';
import { DIFF_MAX_LINES } from '../../../../../src/remote/agent/approvals/explain-write.js';
import { bufferUpload } from '../../../../../src/remote/agent/approvals/upload-buffer.js';
import type { OpName } from '../../../../../src/remote/protocol/ops.js';

let base: string;
let root: string;
let services: ExplainServices;
const device = { id: 'd1', name: 'assistant', role: 'operator' as const };

const lifecyclePlan = {
  action: 'restart',
  installDir: '/srv/openmates',
  project: 'demo',
  services: [{ service: 'web' }, { service: 'worker' }],
  expectedDowntime: { summary: 'about 30 s, until every service is healthy again.' },
  clearCache: false,
  cacheVolumes: [],
};

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'explain-'));
  root = await realpath(await mkdtemp(join(base, 'shared-')));
  await writeFile(join(root, 'notes.txt'), 'one\ntwo\nthree\n');
  await mkdir(join(root, 'folder', 'sub'), { recursive: true });
  await writeFile(join(root, 'folder', 'a.txt'), 'aaaa');
  await writeFile(join(root, 'folder', 'sub', 'b.bin'), Buffer.from([0, 1, 2]));
  services = {
    files: createFileOps({ roots: [root], fullAccess: false }),
    roots: [root],
    classifyCommand,
    operations: async () =>
      ({
        planLifecycle: async (options: { action: string }) => ({ ...lifecyclePlan, action: options.action }),
        planUpdate: async () => ({ project: 'demo', current: '1.0.0', target: '1.1.0', images: ['reg/demo/web:1.1.0', 'reg/demo/worker:1.1.0'], healthTimeout: 90 }),
      }) as unknown as Operations,
    installDir: '/srv/openmates',
  };
});
afterEach(() => rm(base, { recursive: true, force: true }));

async function explain(op: OpName, args: Record<string, unknown>, upload?: Uint8Array, redact = (text: string) => text) {
  const request: ExplainRequest = { op, args, device, signal: new AbortController().signal };
  if (upload) request.upload = await bufferUpload((async function* () { yield upload; })(), { spillDir: join(base, 'spill') });
  return explainRequest(request, services, redact);
}

describe('the explainer', () => {
  it('a write over a text file: a unified diff of the file now against the upload, and the version it was made against', async () => {
    const { draft, baseVersion } = await explain('files.write', { path: 'notes.txt' }, new TextEncoder().encode('one\n2\nthree\n'));
    expect(draft.details).toMatchObject({ kind: 'write', path: join(root, 'notes.txt'), before: { size: 14 }, after: { size: 12 }, binary: false, diffTruncated: false });
    const diff = (draft.details as { diff: string }).diff;
    expect(diff).toContain(`--- ${join(root, 'notes.txt')}`);
    expect(diff).toContain('-two\n+2\n');
    expect(diff).not.toContain('Index:');
    expect(baseVersion).toBe((await services.files.stat('notes.txt')).version);
    expect(draft.headline).toBe(`Overwrite ${join(root, 'notes.txt')} (14 bytes now, 12 bytes after).`);
    expect(draft.forSessionAllowed).toBe(true);
    expect(draft.undo.possible).toBe(true);
    expect(draft.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a new file: before is null, the whole upload is the diff; the approved write must still find no file', async () => {
    const { draft, baseVersion } = await explain('files.write', { path: 'new.txt' }, new TextEncoder().encode('hello\n'));
    expect(draft.details).toMatchObject({ kind: 'write', before: null, diff: expect.stringContaining('+hello') });
    expect(baseVersion).toBeNull();
  });

  it('the hash changes with the content', async () => {
    const a = await explain('files.write', { path: 'new.txt' }, new TextEncoder().encode('a'));
    const b = await explain('files.write', { path: 'new.txt' }, new TextEncoder().encode('b'));
    expect(a.draft.hash).not.toBe(b.draft.hash);
  });

  it('a binary write shows sizes, no diff', async () => {
    const { draft } = await explain('files.write', { path: 'folder/sub/b.bin' }, Buffer.from([0, 9, 9, 9]));
    expect(draft.details).toMatchObject({ kind: 'write', binary: true, before: { size: 3 }, after: { size: 4 } });
    expect((draft.details as { diff?: string }).diff).toBeUndefined();
  });

  it('a long diff is cut and says so', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const { draft } = await explain('files.write', { path: 'big.txt' }, new TextEncoder().encode(lines));
    const details = draft.details as { diff: string; diffTruncated: boolean };
    expect(details.diffTruncated).toBe(true);
    expect(details.diff.split('\n').length).toBeLessThanOrEqual(DIFF_MAX_LINES + 1);
  });

  it('a stale expectedVersion is a conflict before anyone is asked', async () => {
    await expect(explain('files.write', { path: 'notes.txt', expectedVersion: 'old' }, new TextEncoder().encode('x'))).rejects.toMatchObject({ kind: 'conflict' });
    await expect(explain('files.write', { path: 'notes.txt', expectedVersion: null }, new TextEncoder().encode('x'))).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('a path outside the shared folder is refused before anyone is asked', async () => {
    await expect(explain('files.write', { path: '../../etc/passwd' }, new TextEncoder().encode('x'))).rejects.toMatchObject({ kind: 'refused' });
  });

  it('a delete counts what goes; a recursive one is never for the session', async () => {
    const { draft } = await explain('files.remove', { path: 'folder', recursive: true });
    expect(draft.details).toEqual({ kind: 'delete', path: join(root, 'folder'), files: 2, folders: 2, bytes: 7, sample: expect.arrayContaining(['a.txt', 'sub/', 'sub/b.bin']) });
    expect(draft.headline).toBe(`Delete the folder ${join(root, 'folder')} with 2 files and 1 folder in it (7 bytes).`);
    expect(draft.forSessionAllowed).toBe(false);
    const file = await explain('files.remove', { path: 'notes.txt' });
    expect(file.draft.details).toMatchObject({ files: 1, folders: 0, bytes: 14 });
    expect(file.draft.forSessionAllowed).toBe(true);
  });

  it('a move says where to and whether it replaces something', async () => {
    const { draft } = await explain('files.move', { src: 'notes.txt', dst: 'folder' });
    expect(draft.details).toEqual({ kind: 'move', src: join(root, 'notes.txt'), dst: join(root, 'folder', 'notes.txt'), bytes: 14, overwrites: false });
    const copy = await explain('files.copy', { src: 'notes.txt', dst: 'folder/a.txt', overwrite: true });
    expect(copy.draft.details).toMatchObject({ kind: 'copy', overwrites: true });
    expect(copy.draft.headline).toContain('replacing');
  });

  it('a command: the line, where, why it is a change, what it may touch; rm -rf is destructive and never for the session', async () => {
    const { draft } = await explain('exec', { command: 'touch made.txt' });
    expect(draft.details).toMatchObject({ kind: 'command', command: 'touch made.txt', cwd: root, destructive: false, category: 'files' });
    expect((draft.details as { reasons: string[] }).reasons.length).toBeGreaterThan(0);
    expect((draft.details as { mayTouch: string[] }).mayTouch[0]).toContain(root);
    expect(draft.undo.possible).toBe(false);
    const withEnv = await explain('exec', { command: 'deploy', env: { API_TOKEN: 'tok-value' }, session: 'main' });
    expect(withEnv.draft.headline).toBe(`Run \`deploy\` in ${root} with API_TOKEN set, in the session "main" (which may have changed folder since).`);
    expect(JSON.stringify(withEnv.draft)).not.toContain('tok-value');
    const rm = await explain('exec', { command: 'rm -rf folder' });
    expect(rm.draft.details).toMatchObject({ destructive: true });
    expect(rm.draft.forSessionAllowed).toBe(false);
  });

  it('a restart and an update carry the core\'s disruption text; an update is never for the session', async () => {
    const restart = await explain('server.restart', {});
    expect(restart.draft.details).toEqual({
      kind: 'service',
      action: 'restart',
      headline: 'Restart demo: stop and start its 2 services.',
      downtime: 'about 30 s, until every service is healthy again',
      services: ['web', 'worker'],
      consequences: expect.arrayContaining(['No data is deleted.']),
    });
    expect(restart.draft.forSessionAllowed).toBe(true);
    const update = await explain('server.update', {});
    expect(update.draft.headline).toBe('Update demo from 1.0.0 to 1.1.0: replace its 2 services with the new version.');
    expect(update.draft.details).toMatchObject({ consequences: expect.arrayContaining(['A backup of the data is taken first.']) });
    expect(update.draft.forSessionAllowed).toBe(false);
    expect(update.nothingToDo).toBeUndefined();
    services.operations = async () => ({ planUpdate: async () => ({ project: 'demo', current: '1.1.0', target: '1.1.0', upToDate: true, images: [], healthTimeout: 90 }) }) as unknown as Operations;
    expect((await explain('server.update', {})).nothingToDo).toBe(true);
    services.operations = async () => ({ planLifecycle: async () => ({ ...lifecyclePlan, action: 'stop' }) }) as unknown as Operations;
    const stop = await explain('server.stop', {});
    expect(stop.draft.headline).toBe('Stop demo: stop its 2 services.');
  });

  it('every text goes through the redactor', async () => {
    await writeFile(join(root, 'conf.txt'), 'key=hunter2\n');
    const { draft } = await explain('files.write', { path: 'conf.txt' }, new TextEncoder().encode('key=hunter2\nmore\n'), (text) => text.replaceAll('hunter2', '<SECRET:test:KEY:hu…r2>'));
    const { scope: _scope, ...shownWrite } = draft;
    expect(JSON.stringify(shownWrite)).not.toContain('hunter2');
    expect((draft.details as { diff: string }).diff).toContain('<SECRET:test:KEY:hu…r2>');
    const command = await explain('exec', { command: 'echo hunter2 > x' }, undefined, (text) => text.replaceAll('hunter2', '<SECRET>'));
    // The grant scope stays inside the agent (the store never shows it); everything shown is redacted.
    const { scope: _commandScope, ...shown } = command.draft;
    expect(JSON.stringify(shown)).not.toContain('hunter2');
  });
});

describe('the upload buffer', () => {
  it('keeps small uploads in memory, spills big ones to a 0600 file and removes it after', async () => {
    const spillDir = join(base, 'spill');
    const big = new Uint8Array(3000).fill(7);
    const upload = await bufferUpload((async function* () { yield big.subarray(0, 1000); yield big.subarray(1000); })(), { spillDir, memoryBytes: 1024 });
    expect(upload.spilled).toBe(true);
    expect(upload.size).toBe(3000);
    const { readdir } = await import('node:fs/promises');
    const [name] = await readdir(spillDir);
    expect((await stat(join(spillDir, name!))).mode & 0o777).toBe(0o600);
    const back: Uint8Array[] = [];
    for await (const chunk of upload.chunks()) back.push(chunk);
    expect(Buffer.concat(back)).toEqual(Buffer.from(big));
    await upload.dispose();
    expect(await readdir(spillDir)).toEqual([]);
  });

  it('refuses an upload over the bound, leaving no file', async () => {
    const spillDir = join(base, 'spill');
    await expect(bufferUpload((async function* () { yield new Uint8Array(2000); yield new Uint8Array(2000); })(), { spillDir, memoryBytes: 1024, maxBytes: 3000 })).rejects.toMatchObject({ kind: 'usage' });
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(spillDir)).toEqual([]);
  });
});
