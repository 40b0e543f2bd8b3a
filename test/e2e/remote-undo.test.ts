import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type RemoteServer, type UndoEntryInfo } from '../../src/remote/sdk/index.js';
import { finalObject, jsonLines } from './json-lines.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

describe('remote access: every file change through the agent can be undone', () => {
  let agent: AgentProcess;
  let server: RemoteServer;
  const at = (name: string) => join(agent.root, name);
  const listed = async (): Promise<UndoEntryInfo[]> => {
    const result = await agent.cli(['remote-access', 'undo', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    return (finalObject(result.stdout) as { entries: UndoEntryInfo[] }).entries;
  };
  const undo = (id: string, ...flags: string[]) => agent.cli(['remote-access', 'undo', id, '--json', ...flags]);
  const binary = randomBytes(300 * 1024);

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off', env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    await writeFile(at('notes.txt'), 'first version\n');
    await chmod(at('notes.txt'), 0o640);
    await writeFile(at('data.bin'), binary);
    await writeFile(at('a.txt'), 'A\n');
    await mkdir(at('tree/deep'), { recursive: true });
    await writeFile(at('tree/deep/run.sh'), '#!/bin/sh\necho hi\n');
    await chmod(at('tree/deep/run.sh'), 0o755);
    server = await connect(await readFile(await agent.addDevice('laptop'), 'utf8'));
  });
  afterAll(async () => {
    server?.close();
    await agent?.stop();
  });

  it('write, overwrite, delete, move and mkdir through the SDK are listed, and each undo puts the previous state back byte-exact', async () => {
    await server.files.write('new.txt', new TextEncoder().encode('brand new\n'), { expectedVersion: null });
    const { version } = await server.files.stat('notes.txt');
    await server.files.write('notes.txt', new TextEncoder().encode('second version\n'), { expectedVersion: version });
    await server.files.write('data.bin', randomBytes(1024));
    await server.files.remove('tree', { recursive: true });
    await server.files.mkdir('folder');
    await server.files.move('a.txt', 'folder/a.txt');

    const entries = await listed();
    expect(entries.map((entry) => entry.op)).toEqual(['move', 'mkdir', 'remove', 'write', 'write', 'write']);
    expect(entries.every((entry) => entry.device.name === 'laptop' && entry.state === 'done')).toBe(true);
    const [moved, made, removed, data, notes, created] = entries as [UndoEntryInfo, UndoEntryInfo, UndoEntryInfo, UndoEntryInfo, UndoEntryInfo, UndoEntryInfo];
    expect(removed).toMatchObject({ path: at('tree'), before: { exists: true, type: 'directory', files: 1 } });
    const human = await agent.cli(['remote-access', 'undo']);
    expect(human.stdout).toContain(removed.id);
    expect(human.stdout).toContain(`${at('a.txt')} -> ${at('folder/a.txt')}`);

    for (const entry of [moved, made, removed, data, notes, created]) {
      const result = await undo(entry.id);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(finalObject(result.stdout)).toMatchObject({ type: 'result', id: entry.id });
    }
    expect(await readFile(at('notes.txt'), 'utf8')).toBe('first version\n');
    expect((await stat(at('notes.txt'))).mode & 0o777).toBe(0o640);
    expect((await readFile(at('data.bin'))).equals(binary)).toBe(true);
    expect(await readFile(at('tree/deep/run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect((await stat(at('tree/deep/run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readFile(at('a.txt'), 'utf8')).toBe('A\n');
    await expect(lstat(at('folder'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(at('new.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await listed()).every((entry) => entry.state === 'undone')).toBe(true);

    const again = await undo(notes.id);
    expect(again.exitCode).toBe(18);
    expect(again.stderr + again.stdout).toContain('already undone');
  });

  it('a file changed since is refused (exit 18, nothing changed); --force keeps both; the SDK lists and applies too', async () => {
    await server.files.write('notes.txt', new TextEncoder().encode('from the laptop\n'));
    await writeFile(at('notes.txt'), 'edited on the server\n');
    const entries = await server.undo.list({ limit: 1 });
    expect(entries).toHaveLength(1);
    const [entry] = entries as [UndoEntryInfo];
    const refused = await undo(entry.id);
    expect(refused.exitCode).toBe(18);
    expect(refused.stdout + refused.stderr).toContain('was changed since the write');
    expect(await readFile(at('notes.txt'), 'utf8')).toBe('edited on the server\n');
    await expect(server.undo.apply(entry.id)).rejects.toMatchObject({ code: 'conflict' });
    const forced = await server.undo.apply(entry.id, { force: true });
    expect(forced.beside).toBe(at(`notes.txt.undo-${entry.id}`));
    expect(await readFile(at(`notes.txt.undo-${entry.id}`), 'utf8')).toBe('first version\n');
    expect(await readFile(at('notes.txt'), 'utf8')).toBe('edited on the server\n');
  });

  it('every undo is in the audit log with its entry and path, and the chain verifies', async () => {
    const audit = await agent.cli(['remote-access', 'audit', '--json']);
    const undos = jsonLines(audit.stdout).filter((record) => record.op === 'undo.apply') as { target: string; device: { name: string }; result: string; code?: string }[];
    expect(undos.filter((record) => record.device.name === 'openmates remote-access undo' && record.result === 'ok')).toHaveLength(6);
    expect(undos.some((record) => record.target.includes(at('notes.txt')) && record.result === 'ok')).toBe(true);
    expect(undos.some((record) => record.device.name === 'laptop' && record.target.includes('(force)') && record.target.includes(`notes.txt.undo-`))).toBe(true);
    expect(undos.some((record) => record.code === 'conflict')).toBe(true);
    const verified = await agent.cli(['remote-access', 'audit', '--verify']);
    expect(verified.exitCode, verified.stderr).toBe(0);
  });

  it('with the agent stopped, undo opens the journal and the audit log itself; the journal is private', async () => {
    await server.files.write('late.txt', new TextEncoder().encode('late\n'));
    const [entry] = await server.undo.list({ limit: 1 });
    server.close();
    await agent.stop();
    const result = await undo(entry!.id);
    expect(result.exitCode, result.stderr).toBe(0);
    await expect(lstat(at('late.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    const verified = await agent.cli(['remote-access', 'audit', '--verify']);
    expect(verified.exitCode, verified.stderr).toBe(0);
    const journal = join(agent.home, 'state', 'openmates', 'remote', 'undo');
    expect((await stat(journal)).mode & 0o777).toBe(0o700);
    expect((await stat(join(journal, 'index.json'))).mode & 0o777).toBe(0o600);
    expect((await readdir(journal)).length).toBeGreaterThan(1);
  });
});
