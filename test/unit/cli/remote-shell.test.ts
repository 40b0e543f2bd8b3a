import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/cli/args.js';
import { KeystrokeSender } from '../../../src/cli/terminal/keystroke-sender.js';
import { OffsetFile } from '../../../src/cli/terminal/offset-file.js';

const options = (argv: string[]) => {
  const command = parseCommand(argv);
  if (command.name !== 'run') throw new Error(`not a command: ${command.name}`);
  return command.options as Record<string, unknown>;
};

describe('remote shell command line', () => {
  it('opens, lists or attaches; --cwd/--shell only when opening; --json only with --list', () => {
    expect(options(['remote', '--link-file', 'l', 'shell', '--cwd', 'src', '--shell', '/bin/sh'])).toMatchObject({ mode: 'open', cwd: 'src', shell: '/bin/sh', linkFile: 'l' });
    expect(options(['remote', 'shell', '--list', '--json'])).toMatchObject({ mode: 'list', json: true });
    expect(options(['remote', 'shell', '--attach', 't-1'])).toMatchObject({ mode: 'attach', id: 't-1' });
    expect(() => parseCommand(['remote', 'shell', '--list', '--attach', 't-1'])).toThrow(/either --list or --attach/);
    expect(() => parseCommand(['remote', 'shell', '--attach', 't-1', '--cwd', 'x'])).toThrow(/for opening a new terminal/);
    expect(() => parseCommand(['remote', 'shell', '--json'])).toThrow(/--json goes with --list/);
  });
});

describe('KeystrokeSender', () => {
  it('keeps order and sends the keys that came during a write together in the next', async () => {
    const writes: string[] = [];
    let release: (() => void) | undefined;
    const sender = new KeystrokeSender(
      (data) => {
        writes.push(data);
        return new Promise<void>((resolve) => (release = resolve));
      },
      (error) => {
        throw error;
      },
    );
    sender.push(Buffer.from('a'));
    for (const key of ['b', 'c', '\x03', 'd']) sender.push(Buffer.from(key));
    expect(writes).toEqual(['a']);
    release!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(['a', 'bc\x03d']);
    release!();
    await sender.flushed();
  });

  it('decodes a character split across two reads, and splits a long paste into pieces', async () => {
    const writes: string[] = [];
    const sender = new KeystrokeSender(async (data) => void writes.push(data), () => undefined);
    const euro = Buffer.from('€');
    sender.push(euro.subarray(0, 1));
    sender.push(euro.subarray(1));
    await sender.flushed();
    sender.push(Buffer.from('x'.repeat(40_000)));
    await sender.flushed();
    expect(writes[0]).toBe('€');
    expect(writes.slice(1).join('')).toBe('x'.repeat(40_000));
    expect(Math.max(...writes.map((write) => write.length))).toBeLessThanOrEqual(16 * 1024);
  });

  it('reports a failed write and drops what was waiting', async () => {
    const errors: unknown[] = [];
    const sender = new KeystrokeSender(() => Promise.reject(new Error('gone')), (error) => errors.push(error));
    sender.push(Buffer.from('a'));
    await sender.flushed();
    expect(errors).toHaveLength(1);
  });
});

describe('OffsetFile', () => {
  it('keeps the latest offset in a 0600 file under XDG_STATE_HOME, updated in place, removed at the end', () => {
    const state = mkdtempSync(join(tmpdir(), 'omt-offsets-'));
    const file = new OffsetFile('agent/1', 't-abc', { XDG_STATE_HOME: state });
    expect(file.read()).toBeUndefined();
    file.update(123456789);
    file.update(20);
    const path = join(state, 'openmates', 'terminals', 'agent_1-t-abc.json');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ received: 20 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    file.close();
    expect(new OffsetFile('agent/1', 't-abc', { XDG_STATE_HOME: state }).read()).toBe(20);
    file.remove();
    expect(file.read()).toBeUndefined();
  });
});
