import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLink } from '../../../../src/remote/link.js';
import { probeServer } from '../../../../src/remote/client/probe-server.js';
import { addSavedServer, listSavedServers, removeSavedServer, savedServerLink } from '../../../../src/remote/client/saved-servers.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'servers-'));
  file = join(dir, 'openmates', 'remote-servers.json');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const link = (port: number, key = 'k'.repeat(43)) => formatLink({ url: `http://127.0.0.1:${port}/`, agentId: 'A'.repeat(43), deviceId: 'Q'.repeat(22), deviceSeed: key });

describe('saved servers', () => {
  it('keeps links by name in a 0600 file in a 0700 folder, finds and forgets them', async () => {
    await addSavedServer('home', `${link(7420)}\n`, file);
    await addSavedServer('e2b-1', link(7421, 'w'.repeat(43)), file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'openmates'))).mode & 0o777).toBe(0o700);
    expect(await savedServerLink('home', file)).toBe(link(7420));
    expect((await listSavedServers(file)).map((server) => server.name)).toEqual(['home', 'e2b-1']);
    await removeSavedServer('home', file);
    expect((await listSavedServers(file)).map((server) => server.name)).toEqual(['e2b-1']);
  });

  it('refuses a second server of a name, a bad name, a malformed link, an unknown name (naming the saved ones), a damaged file', async () => {
    await addSavedServer('home', link(7420), file);
    await expect(addSavedServer('home', link(7421), file)).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('saved already') });
    await expect(addSavedServer('my server', link(7421), file)).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('not a usable server name') });
    await expect(addSavedServer('other', 'http://127.0.0.1:7420/#v=1', file)).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('malformed') });
    await expect(savedServerLink('nope', file)).rejects.toMatchObject({ kind: 'usage', message: 'No server named "nope" is saved.', hint: 'Saved servers: home.' });
    await expect(removeSavedServer('nope', file)).rejects.toMatchObject({ kind: 'usage' });
    const before = await readFile(file, 'utf8');
    expect(before).toContain(link(7420));
    await writeFile(file, '{"version": 1, "servers": [{"name": 3}]}');
    await expect(listSavedServers(file)).rejects.toMatchObject({ kind: 'invalid-config', message: expect.stringContaining('is damaged') });
  });
});

describe('probing a saved server', () => {
  it('unreachable with the reason when nothing listens, and with a deadline when nothing answers', async () => {
    const closed = await probeServer(link(9), 2000);
    expect(closed).toMatchObject({ state: 'unreachable', code: 'operation-failed' });
    // A TCP port that accepts and never speaks: the deadline decides.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => void accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      const state = await probeServer(link(port), 300);
      expect(state.state).toBe('unreachable');
      expect(state).toEqual({ state: 'unreachable', code: 'timeout', reason: 'no answer within 300 ms' });
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
