import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../src/remote/link.js';
import { connect, type RemoteServer } from '../../src/remote/sdk/index.js';
import { decodeQrText } from '../support/decode-qr-text.js';
import { killAllTmuxSessions, startCliInTmux, type TmuxSession } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

/** The pairing view at 80x24: code (20 rows, 39 columns) with the text beside it, the link below; returns the link, checked against the code. */
async function readPairingScreen(app: TmuxSession, name: string, role: string): Promise<string> {
  const screen = (await app.waitForText('enter done: the link is not shown again')).split('\n');
  const linkRow = screen.findIndex((line) => line.startsWith('http://'));
  expect(linkRow).toBe(20);
  expect(screen.length).toBeLessThanOrEqual(24);
  const block = screen.slice(0, linkRow);
  const qrWidth = [...block.at(-1)!].length; // the code's last row has nothing beside it
  expect(qrWidth).toBe(39);
  const beside = block.map((line) => [...line].slice(qrWidth).join('').trim()).filter(Boolean).join(' ');
  expect(beside).toContain(`✓ Added ${name} (${role}). Its link, shown this once:`);
  expect(beside).toContain('Scan the code with the device\'s camera, or copy the link below.');
  const link = screen.slice(linkRow).join('').trim();
  expect(decodeQrText(block.map((line) => [...line].slice(0, qrWidth).join('')))).toBe(link);
  expect(parseLink(link).deviceId).toBeUndefined();
  return link;
}

describe('the full-screen app at 80x24: add a device on the Remote access screen, scan its code, revoke it there', () => {
  let agent: AgentProcess | undefined;
  let server: RemoteServer | undefined;
  afterAll(async () => {
    server?.close();
    await killAllTmuxSessions();
    await agent?.stop();
  });

  it('asks name and role, shows the code beside the instructions and the link below; the code reads as a link that connects; the device shows connected; r and y revoke it and end its session', async () => {
    agent = await startAgentProcess({ safetyMode: 'off' });
    const dirs = { XDG_STATE_HOME: agent.env.XDG_STATE_HOME!, XDG_CONFIG_HOME: agent.env.XDG_CONFIG_HOME!, XDG_RUNTIME_DIR: agent.env.XDG_RUNTIME_DIR! };
    const app = await startCliInTmux(['--path', join(agent.home, 'install')], { cols: 80, rows: 24, env: { ...dirs, NO_COLOR: '1' } });
    await app.waitForText('a remote access', 60_000);
    await app.sendKeys('a');
    await app.waitForText(/Devices[\s\S]*none yet: press a to add one/);
    await app.sendKeys('a');
    await app.waitForText('Name of the new device:');
    await app.type('phone');
    await app.sendKeys('Enter');
    await app.waitForText('Role of phone:');
    await app.sendKeys('Enter');
    const link = await readPairingScreen(app, 'phone', 'approver');

    // What a phone that scanned it does: connect with the link, as the device just added.
    server = await connect(link);
    expect(server.device).toMatchObject({ name: 'phone', role: 'approver' });
    expect((await server.files.stat('.')).type).toBe('directory');

    await app.sendKeys('Enter');
    await app.waitForText('● phone (approver) connected (1)');
    await app.sendKeys('r');
    await app.waitForText('❯ ● phone (approver)');
    await app.sendKeys('Enter');
    await app.waitForText('Revoke phone (approver)? Its link stops working and its open sessions end.');
    await app.sendKeys('y');
    await app.waitForText('Revoked phone: its link no longer works and its sessions were ended.');
    await app.waitForText('none yet: press a to add one');
    await expect(server.files.stat('.')).rejects.toMatchObject({ kind: 'device-refused' });
    await expect(connect(link)).rejects.toMatchObject({ kind: 'device-refused' });

    await app.sendKeys('Escape');
    await app.waitForText('a remote access');
    await app.sendKeys('q');
    expect(await app.waitForExit(30_000)).toBe(0);
  });
});

describe('remote-access start\'s own screen at 80x24: add a device there, its code connects', () => {
  let home: string | undefined;
  let server: RemoteServer | undefined;
  afterAll(async () => {
    server?.close();
    await killAllTmuxSessions();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('a, a name and a role: the code and link of a device that connects at once and shows connected', async () => {
    home = await mkdtemp(join(tmpdir(), 'omt-agent-devices-'));
    const env = { XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: join(home, 'run'), NO_COLOR: '1' };
    await mkdir(join(home, 'run'), { mode: 0o700 });
    await mkdir(join(home, 'shared'));
    const app = await startCliInTmux(['remote-access', 'start', '--listen', '127.0.0.1:0'], { cols: 80, rows: 24, env, cwd: join(home, 'shared') });
    await app.waitForText('none yet: press a to add one', 60_000);
    await app.sendKeys('a');
    await app.waitForText('Name of the new device:');
    await app.type('tablet');
    await app.sendKeys('Enter');
    await app.waitForText('Role of tablet:');
    await app.sendKeys('Down', 'Enter');
    const link = await readPairingScreen(app, 'tablet', 'operator');
    server = await connect(link);
    expect(server.device).toMatchObject({ name: 'tablet', role: 'operator' });
    await app.sendKeys('Enter');
    await app.waitForText('● tablet (operator) connected (1)');
    await app.sendKeys('C-c');
    expect(await app.waitForExit()).toBe(0);
  });
});
