import { describe, expect, it } from 'vitest';
import { createStaticRedactor } from '../../../../../src/core/secrets/index.js';
import type { CastEvent } from '../../../../../src/remote/agent/recordings/index.js';
import { OutputEvents } from '../../../../../src/remote/agent/recordings/output-events.js';

const PASSWORD = 'c0rrect-h0rse-battery-staple-9d2f';
const redactor = createStaticRedactor([{ source: 'install-env', name: 'DATABASE_PASSWORD', value: PASSWORD }]);

function collect(withRedactor: boolean) {
  const events: CastEvent[] = [];
  const output = new OutputEvents(withRedactor ? redactor : undefined, (event) => events.push(event));
  const text = () => events.filter((event) => event.code === 'o').map((event) => event.data).join('');
  return { events, output, text };
}

describe('OutputEvents: PTY bytes to asciicast events', () => {
  it('decodes UTF-8 split anywhere across chunks, never breaking a character', () => {
    const bytes = Buffer.from('grüße → 🙂 done\r\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      const { output, text, events } = collect(false);
      output.output(0.1, bytes.subarray(0, cut));
      output.output(0.2, bytes.subarray(cut));
      output.end(0.3);
      expect(text()).toBe('grüße → 🙂 done\r\n');
      expect(events.every((event) => !event.data.includes('\uFFFD'))).toBe(true);
    }
  });

  it('without a redactor each chunk is one event at its own time, and a resize goes between them', () => {
    const { output, events } = collect(false);
    output.output(0.5, Buffer.from('one'));
    output.resize(0.75, 100, 30);
    output.output(1.25, Buffer.from('two'));
    output.end(2);
    expect(events).toEqual([
      { time: 0.5, code: 'o', data: 'one' },
      { time: 0.75, code: 'r', data: '100x30' },
      { time: 1.25, code: 'o', data: 'two' },
    ]);
  });

  it('catches a secret split across two chunks at every cut: it is never in any event, its token is', () => {
    const line = `export DATABASE_PASSWORD=${PASSWORD}\r\n$ `;
    for (let cut = 1; cut < line.length; cut++) {
      const { output, events, text } = collect(true);
      output.output(1, Buffer.from(line.slice(0, cut)));
      output.output(2, Buffer.from(line.slice(cut)));
      output.end(3);
      expect(text()).toBe('export DATABASE_PASSWORD=<SECRET:install-env:DATABASE_PASSWORD:c0…2f>\r\n$ ');
      expect(JSON.stringify(events)).not.toContain(PASSWORD.slice(4, -4));
    }
  });

  it('with a redactor, text held back is stamped with the time it arrived, and a resize stays behind the text before it', () => {
    const { output, events } = collect(true);
    output.output(1, Buffer.from('a'.repeat(10)));
    output.output(2, Buffer.from('b'.repeat(10)));
    output.resize(2.5, 90, 20);
    output.output(3, Buffer.from('c'.repeat(400)));
    // 420 characters in, the stream holds back its last 256 or so: 'a's, 'b's, the resize and some 'c's are out.
    expect(events.slice(0, 3)).toEqual([
      { time: 1, code: 'o', data: 'a'.repeat(10) },
      { time: 2, code: 'o', data: 'b'.repeat(10) },
      { time: 2.5, code: 'r', data: '90x20' },
    ]);
    output.end(9);
    expect(events.slice(3).every((event) => event.time === 3 && event.code === 'o' && /^c+$/.test(event.data))).toBe(true);
    expect(events.slice(3).map((event) => event.data).join('')).toBe('c'.repeat(400));
  });

  it('never splits a surrogate pair between two events', () => {
    const { output, events, text } = collect(true);
    output.output(1, Buffer.from('x'));
    output.output(2, Buffer.from('🙂'.repeat(200)));
    output.end(3);
    expect(text()).toBe(`x${'🙂'.repeat(200)}`);
    for (const event of events) expect(event.data).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });
});
