import { describe, expect, it } from 'vitest';
import { qrCodeLines } from '../../../src/auth/qr-code.js';
import { formatLink } from '../../../src/remote/link.js';
import { pairingLines, wrapWords } from '../../../src/cli/render/pairing-layout.js';
import { decodeQrText } from '../../support/decode-qr-text.js';

// The short links `devices add` prints (a device id derived from its key).
const link = formatLink({ url: 'http://127.0.0.1:7420/', agentId: 'A'.repeat(42) + 'Q', deviceSeed: 'k'.repeat(42) + 'A' });
const relayLink = formatLink({ url: 'https://relay.openmates.example/', agentId: 'A'.repeat(42) + 'Q', deviceSeed: 'k'.repeat(42) + 'A' });
const instructions = [
  '✓ Added phone (approver). Its link, shown this once:',
  'Scan the code with the device\'s camera, or copy the link below.',
  'The link is the device\'s key: anyone who has it can connect as this device. Keep it in a file only you can read (openmates remote --link-file FILE, or OPENMATES_REMOTE_LINK); revoke it with `openmates remote-access devices revoke NAME`.',
];
const width = (line: string) => [...line].length;

describe('devices add on a terminal: the QR code beside the instructions', () => {
  it.each([['direct', link], ['relay', relayLink]])('at 80x24 (%s link): code and text side by side, then the whole link, in 22 rows (the command and the prompt fit too)', (_mode, text) => {
    const qr = qrCodeLines(text);
    expect(decodeQrText(qr)).toBe(text);
    const lines = pairingLines({ qr, instructions, link: text, columns: 80 });
    const block = lines.slice(0, -1);
    expect(block).toHaveLength(qr.length);
    // The link wraps on the terminal: 2 rows of 80 columns.
    expect(block.length + Math.ceil(text.length / 80)).toBeLessThanOrEqual(22);
    for (const [row, line] of block.entries()) {
      expect(line.startsWith(qr[row]!)).toBe(true);
      expect(width(line)).toBeLessThanOrEqual(80);
    }
    const beside = block.map((line, row) => line.slice(qr[row]!.length).trim()).filter(Boolean).join(' ');
    expect(beside).toBe(instructions.join(' '));
    // The instructions start at the code's first row, not under it.
    expect(block[0]!.slice(qr[0]!.length).trim()).toMatch(/^✓ Added phone/);
    expect(lines.at(-1)).toBe(text);
  });

  it('below 80 columns: the instructions first, the code under them, the link last', () => {
    const qr = qrCodeLines(link);
    const lines = pairingLines({ qr, instructions, link, columns: 60 });
    const firstQrRow = lines.indexOf(qr[0]!);
    expect(firstQrRow).toBeGreaterThan(0);
    expect(lines.slice(0, firstQrRow).join(' ')).toContain('✓ Added phone');
    for (const line of lines.slice(0, firstQrRow)) expect(width(line)).toBeLessThanOrEqual(60);
    expect(lines.slice(firstQrRow, firstQrRow + qr.length)).toEqual(qr);
    expect(lines.at(-1)).toBe(link);
  });

  it('wraps words to the width and cuts a word longer than it', () => {
    expect(wrapWords('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapWords('a abcdefghijkl b', 5)).toEqual(['a', 'abcde', 'fghij', 'kl b']);
  });
});
