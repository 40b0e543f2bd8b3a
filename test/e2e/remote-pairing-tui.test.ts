import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../src/remote/link.js';
import { killAllTmuxSessions, startCliInTmux } from './harness/index.js';

describe('devices add on an 80-column terminal: the QR code beside the instructions, the link below', () => {
  let home: string | undefined;
  afterAll(async () => {
    await killAllTmuxSessions();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('prints a 24-row block of 80 columns (code left, text right, from the first row), then the whole link', async () => {
    home = await mkdtemp(join(tmpdir(), 'omt-pairing-'));
    // 28 rows: the block (at most 24), the link (2 rows at 80 columns) and tmux's exit line all on screen, so the capture shows everything printed.
    const app = await startCliInTmux(['remote-access', 'devices', 'add', 'phone', '--role', 'approver'], { cols: 80, rows: 28, env: { XDG_STATE_HOME: join(home, 'state'), NO_COLOR: '1' } });
    expect(await app.waitForExit(60_000)).toBe(0);
    const screen = (await app.capturePane()).split('\n');
    const linkRow = screen.findIndex((line) => line.startsWith('http://'));
    const block = screen.slice(0, linkRow);
    // The code's last rows have no text beside them: their width is the code's.
    const qrWidth = [...block.at(-1)!].length;
    expect(qrWidth).toBeGreaterThanOrEqual(45);
    expect(block.length).toBeGreaterThanOrEqual(22);
    expect(block.length).toBeLessThanOrEqual(24);
    for (const line of block) {
      expect([...line].slice(0, qrWidth).join('')).toMatch(/^[█▀▄ ]+$/);
      expect([...line].length).toBeLessThanOrEqual(80);
    }
    const text = (line: string) => [...line].slice(qrWidth).join('').trim();
    expect(text(block[0]!)).toMatch(/^✓ Added phone/);
    const beside = block.map(text).filter(Boolean).join(' ');
    expect(beside).toContain('Scan the code with the device\'s camera, or copy the link below.');
    expect(beside).toContain('revoke it with `openmates remote-access devices revoke NAME`.');
    const link = screen.slice(linkRow).join('');
    expect(() => parseLink(link)).not.toThrow();
  });
});
