import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { TerminalManager, type TerminalExit, type TerminalReader, type TerminalSession } from '../../../../src/core/terminals/index.js';

let dir: string;
let manager: TerminalManager;
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PS1: '$ ' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'om-taps-'));
});
afterEach(async () => {
  manager?.stopAll(new OpenmatesError('interrupted', 'test over'));
  await rm(dir, { recursive: true, force: true });
});

async function open(ringBytes?: number): Promise<TerminalSession> {
  manager = new TerminalManager({ ringBytes });
  return manager.create({ shell: '/bin/sh', cwd: dir, cols: 80, rows: 24, env });
}

/** Reads to the exit; once `marker` was printed, the shell is told to `exit 3` (Linux drops what a PTY still holds when its shell exits on its own). */
async function readAll(session: TerminalSession, reader: TerminalReader, marker: string): Promise<{ bytes: Buffer; exit: TerminalExit }> {
  const pieces: Buffer[] = [];
  let told = false;
  for (;;) {
    const next = await reader.next();
    if ('exit' in next) return { bytes: Buffer.concat(pieces), exit: next.exit };
    pieces.push(next.output.bytes);
    if (!told && Buffer.concat(pieces).includes(marker)) {
      told = true;
      session.write('exit 3\r');
    }
  }
}

const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('TerminalSession taps', () => {
  it('onOutput gets every byte in order, the same bytes a reader gets, and onEnd the exit', async () => {
    const session = await open();
    const tapped: Buffer[] = [];
    const ends: TerminalExit[] = [];
    session.onOutput((bytes) => tapped.push(Buffer.from(bytes)));
    session.onEnd((exit) => ends.push(exit));
    const reader = manager.attach(session.id, 'test');
    session.write('i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done; echo do""ne\r');
    const { bytes, exit } = await readAll(session, reader, 'done\r\n');
    expect(exit).toEqual({ exitCode: 3 });
    expect(ends).toEqual([{ exitCode: 3 }]);
    expect(bytes.toString()).toContain('line-1999\r\n');
    expect(Buffer.concat(tapped).equals(bytes)).toBe(true);
    const late: TerminalExit[] = [];
    session.onEnd((exit) => late.push(exit));
    expect(late).toEqual([{ exitCode: 3 }]);
  });

  it('onOutput hears output as it arrives, ahead of a reader that does not read (the PTY then pauses)', async () => {
    const session = await open(16 * 1024);
    let tapped = 0;
    session.onOutput((bytes) => (tapped += bytes.byteLength));
    const reader = manager.attach(session.id, 'slow');
    session.write('head -c 200000 /dev/zero | tr "\\0" x\r');
    await until(() => session.isPaused);
    // Half the ring unread pauses the PTY: the tap had those bytes already, the reader none.
    expect(tapped).toBeGreaterThanOrEqual(8 * 1024);
    expect(reader.offset).toBe(0);
    reader.close();
  });

  it('onResize hears each resize; unsubscribed taps hear nothing more; a tap that throws breaks nothing', async () => {
    const session = await open();
    const sizes: string[] = [];
    session.onOutput(() => {
      throw new Error('a broken tap');
    });
    const stop = session.onResize((cols, rows) => sizes.push(`${cols}x${rows}`));
    session.resize(100, 30);
    session.resize(60, 20);
    stop();
    session.resize(70, 25);
    expect(sizes).toEqual(['100x30', '60x20']);
    let after = '';
    const stopOutput = session.onOutput((bytes) => (after += bytes.toString()));
    const reader = manager.attach(session.id, 'test');
    session.write('stty size\r');
    await until(() => after.includes('25 70'));
    stopOutput();
    const seen = after.length;
    session.write('echo more\r');
    let read = '';
    while (!read.includes('more\r\n$ ')) {
      const next = await reader.next();
      if ('output' in next) read += next.output.bytes.toString();
    }
    expect(after.length).toBe(seen);
  });
});
