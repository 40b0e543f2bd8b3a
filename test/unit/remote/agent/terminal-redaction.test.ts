import { describe, expect, it } from 'vitest';
import { createStaticRedactor } from '../../../../src/core/secrets/index.js';
import { TerminalRedaction } from '../../../../src/remote/agent/terminal-redaction.js';
import { decodeTerminalChunk, encodeTerminalChunk } from '../../../../src/remote/protocol/terminal-chunk.js';

const SECRET = 'hunter2-terminal-7c1e9a55';

function redaction(start = 0) {
  const sent: { text: string; end: number }[] = [];
  const redactor = createStaticRedactor([{ value: SECRET, source: 'root-env', name: 'DB_PASSWORD' }]);
  const stream = new TerminalRedaction(redactor, start, (bytes, end) => sent.push({ text: Buffer.from(bytes).toString('utf8'), end }));
  let seq = start;
  const push = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    stream.push({ seq, bytes });
    seq += bytes.byteLength;
  };
  return { sent, stream, push, end: () => seq };
}

describe('terminal output for a device that must not see secrets', () => {
  it('catches a secret split across two reads, and says up to which byte each piece covers', () => {
    const { sent, stream, push, end } = redaction(100);
    push(`DB_PASSWORD=${SECRET.slice(0, 9)}`);
    push(`${SECRET.slice(9)}\r\nnext line ü\r\n`);
    stream.flush();
    const text = sent.map((piece) => piece.text).join('');
    expect(text).not.toContain(SECRET);
    expect(text).toMatch(/^DB_PASSWORD=<SECRET:[^>]+>\r\nnext line ü\r\n$/);
    expect(sent.at(-1)!.end).toBe(end());
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.end).toBeGreaterThanOrEqual(sent[i - 1]!.end);
  });

  it('sends a short echo after a moment of quiet instead of holding it for more', async () => {
    const { sent, push } = redaction();
    push('l');
    expect(sent).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent).toEqual([{ text: 'l', end: 1 }]);
  });

  it('passes bytes that are not UTF-8 through unchanged', () => {
    const sent: Buffer[] = [];
    const stream = new TerminalRedaction(createStaticRedactor([]), 0, (bytes) => sent.push(Buffer.from(bytes)));
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x41, 0xc3]);
    stream.push({ seq: 0, bytes: binary });
    stream.flush();
    expect(Buffer.concat(sent)).toEqual(binary);
  });
});

describe('terminal chunks', () => {
  it('carry the offset they bring the reader to, beside the bytes', () => {
    const chunk = encodeTerminalChunk(5_000_000_123, new Uint8Array([1, 2, 3]));
    expect(decodeTerminalChunk(chunk)).toEqual({ end: 5_000_000_123, bytes: new Uint8Array([1, 2, 3]) });
    expect(() => decodeTerminalChunk(new Uint8Array(3))).toThrow(/header/);
  });
});
