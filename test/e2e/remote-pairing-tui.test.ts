import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../src/remote/link.js';
import { decodeQrText } from '../support/decode-qr-text.js';
import { killAllTmuxSessions, startCliInTmux } from './harness/index.js';

describe('devices add on an 80x24 terminal: the QR code beside the instructions, the link below', () => {
  let home: string | undefined;
  afterAll(async () => {
    await killAllTmuxSessions();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('prints code and text side by side from the first row, then the whole link, in 22 rows (with the command and the prompt: 24), and the code reads back as the link', async () => {
    home = await mkdtemp(join(tmpdir(), 'omt-pairing-'));
    const app = await startCliInTmux(['remote-access', 'devices', 'add', 'phone', '--role', 'approver'], { cols: 80, rows: 24, env: { XDG_STATE_HOME: join(home, 'state'), NO_COLOR: '1' } });
    expect(await app.waitForExit(60_000)).toBe(0);
    const screen = (await app.capturePane()).split('\n');
    const linkRow = screen.findIndex((line) => line.startsWith('http://'));
    expect(linkRow).toBeGreaterThan(0);
    const block = screen.slice(0, linkRow);
    const linkRows = screen.slice(linkRow);
    // Nothing scrolled off: the code's top border is the screen's first row.
    expect(screen[0]).toMatch(/^█▀▀▀▀▀▀▀█/);
    expect(block.length + linkRows.length).toBeLessThanOrEqual(22);
    // The code's last row has no text beside it: its width is the code's.
    const qrWidth = [...block.at(-1)!].length;
    expect(qrWidth).toBeGreaterThanOrEqual(39);
    for (const line of block) {
      expect([...line].slice(0, qrWidth).join('')).toMatch(/^[█▀▄ ]+$/);
      expect([...line].length).toBeLessThanOrEqual(80);
    }
    const text = (line: string) => [...line].slice(qrWidth).join('').trim();
    expect(text(block[0]!)).toMatch(/^✓ Added phone/);
    const beside = block.map(text).filter(Boolean).join(' ');
    expect(beside).toContain('Scan the code with the device\'s camera, or copy the link below.');
    expect(beside).toContain('revoke it with `openmates remote-access devices revoke NAME`.');
    const link = linkRows.join('');
    expect(parseLink(link).deviceId).toBeUndefined(); // the short link
    expect(decodeQrText(block.map((line) => [...line].slice(0, qrWidth).join('')))).toBe(link);
  });
});
