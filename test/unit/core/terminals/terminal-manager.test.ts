import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { foregroundGroup } from '../../../../src/core/terminals/process-group.js';
import { TerminalManager, type TerminalReader, type TerminalSession } from '../../../../src/core/terminals/index.js';

let dir: string;
let manager: TerminalManager;
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PS1: '$ ' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'om-term-'));
});
afterEach(async () => {
  manager?.stopAll(new OpenmatesError('interrupted', 'test over'));
  await rm(dir, { recursive: true, force: true });
});

/** Reads until the output so far contains `text` (the test's own timeout bounds the wait). */
async function readUntil(reader: TerminalReader, text: string, seen = { text: '' }): Promise<string> {
  while (!seen.text.includes(text)) {
    const next = await reader.next();
    if ('exit' in next) throw new Error(`the shell exited (${JSON.stringify(next.exit)}) before printing ${text}; output: ${seen.text}`);
    seen.text += next.output.bytes.toString('latin1');
  }
  return seen.text;
}

async function readToExit(reader: TerminalReader) {
  for (;;) {
    const next = await reader.next();
    if ('exit' in next) return next.exit;
  }
}

async function open(options: { ringBytes?: number; shell?: string; cols?: number; rows?: number } = {}): Promise<TerminalSession> {
  manager = new TerminalManager({ ringBytes: options.ringBytes });
  return manager.create({ shell: options.shell ?? '/bin/sh', cwd: dir, cols: options.cols ?? 80, rows: options.rows ?? 24, env });
}

describe('TerminalManager with a real PTY', () => {
  it('starts the shell at the size asked for, and stty size follows a resize', async () => {
    const session = await open({ cols: 80, rows: 24 });
    const reader = manager.attach(session.id, 'test');
    session.write('stty size\r');
    await readUntil(reader, '24 80');
    session.resize(100, 40);
    session.write('stty size\r');
    await readUntil(reader, '40 100');
    expect(manager.list()[0]).toMatchObject({ id: session.id, cols: 100, rows: 40, cwd: dir, shell: '/bin/sh', attached: ['test'] });
  });

  it('interrupts the foreground program with INT, and the shell goes on', async () => {
    const session = await open();
    const reader = manager.attach(session.id, 'test');
    session.write('sleep 100\r');
    // The shell hands the terminal to sleep's process group once it runs.
    while (foregroundGroup(session.pid) === session.pid) await new Promise((resolve) => setTimeout(resolve, 20));
    session.signal('INT');
    // An interactive shell drops the rest of a command line whose job got INT: ask for the status on its own line.
    session.write('echo "after=$?"\r');
    await readUntil(reader, 'after=130');
    session.write('echo al""ive\r');
    await readUntil(reader, 'alive\r\n');
  });

  it('ends with the shell\'s exit code, or the signal that killed it', async () => {
    const session = await open();
    const reader = manager.attach(session.id, 'test');
    session.write('exit 7\r');
    expect(await readToExit(reader)).toEqual({ exitCode: 7 });
    expect(manager.list()[0]!.exit).toEqual({ exitCode: 7 });
    expect(() => session.write('ls\r')).toThrow(/has ended: its shell exited with code 7/);

    const killed = await manager.create({ shell: '/bin/sh', cwd: dir, cols: 80, rows: 24, env });
    const killedReader = manager.attach(killed.id, 'test');
    killed.signal('KILL');
    expect(await readToExit(killedReader)).toEqual({ exitCode: null, signal: 'SIGKILL' });
  });

  it('delivers 10 MB byte-exact to a slow reader, pausing the shell instead of overrunning a 64 KiB ring', async () => {
    const data = randomBytes(10 * 1024 * 1024);
    await writeFile(join(dir, 'data'), data);
    // Raw mode: the terminal passes the bytes on unchanged (no \n to \r\n). The shell ends when
    // told to, as a person's does: Linux drops what a PTY still holds when its shell exits.
    await writeFile(join(dir, 'dump.sh'), `#!/bin/sh\nstty raw -echo\nhead -c ${data.length} data\nread done\nexit 0\n`);
    await chmod(join(dir, 'dump.sh'), 0o755);
    const session = await open({ ringBytes: 64 * 1024, shell: join(dir, 'dump.sh') });
    const reader = manager.attach(session.id, 'slow');
    const pieces: Buffer[] = [];
    let pausedSeen = false;
    let turns = 0;
    let received = 0;
    for (;;) {
      const next = await reader.next(8 * 1024);
      pausedSeen ||= session.isPaused;
      if ('exit' in next) {
        expect(next.exit).toEqual({ exitCode: 0 });
        break;
      }
      expect(next.output.seq).toBe(received);
      pieces.push(next.output.bytes);
      received += next.output.bytes.length;
      if (received === data.length) session.write('\n');
      if (++turns % 64 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const got = Buffer.concat(pieces);
    expect(got.length).toBe(data.length);
    expect(got.equals(data)).toBe(true);
    expect(pausedSeen).toBe(true);
  }, 30_000);

  it('gives a reader that comes back exactly the bytes it missed, and a clear answer when they were overwritten', async () => {
    const session = await open({ ringBytes: 4096 });
    const first = manager.attach(session.id, 'phone');
    // The quotes keep the echoed command line from matching what the command prints.
    session.write('echo o""ne\r');
    const seen = await readUntil(first, 'one\r\n');
    first.close();
    session.write('echo t""wo\r');
    const again = manager.attach(session.id, 'phone', Buffer.byteLength(seen, 'latin1'));
    const rest = await readUntil(again, 'two\r\n');
    expect(rest).not.toContain('one');
    again.close();
    session.write('i=0; while [ $i -lt 300 ]; do echo line-$i-padding-padding; i=$((i+1)); done; echo done-$i\r');
    const watcher = manager.attach(session.id, 'watcher', session.info().outputBytes);
    await readUntil(watcher, 'done-300\r\n');
    expect(() => manager.attach(session.id, 'phone', 10)).toThrow(/no longer has bytes 10 to .*keeps the newest 4096 bytes/);
    expect(() => manager.attach(session.id, 'phone', 10 ** 9)).toThrow(/has written only/);
  });

  it('ends every session with a clear message when the agent stops', async () => {
    const session = await open();
    const reader = manager.attach(session.id, 'test');
    const pending = reader.next().then(async function drain(next): Promise<unknown> {
      return drain(await reader.next());
    });
    manager.stopAll(new OpenmatesError('disconnected', 'The agent is stopping: every terminal ends.'));
    await expect(pending).rejects.toThrow('The agent is stopping');
    await expect(manager.create({ cwd: dir, cols: 80, rows: 24, env })).rejects.toThrow('The agent is stopping');
    expect(() => manager.attach(session.id, 'late')).toThrow('The agent is stopping');
  });

  it('hangs up a session nobody has read for the grace period, and reports how it ended', async () => {
    const ended: unknown[] = [];
    manager = new TerminalManager({ detachedGraceMs: 200, onEnded: (info, exit) => ended.push({ id: info.id, exit }) });
    const session = await manager.create({ shell: '/bin/sh', cwd: dir, cols: 80, rows: 24, env });
    const reader = manager.attach(session.id, 'phone');
    session.write('echo rea""dy\r');
    await readUntil(reader, 'ready\r\n');
    reader.close();
    while (!session.exit) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toEqual([{ id: session.id, exit: session.exit }]);
    expect(session.exit.signal ?? session.exit.exitCode).toBeTruthy();
  });

  it('says plainly when the PTY library cannot load', async () => {
    manager = new TerminalManager({ loadPty: () => Promise.reject(new OpenmatesError('operation-failed', 'Terminals are not available: the PTY library @lydell/node-pty could not load (gone).')) });
    await expect(manager.create({ cwd: dir, cols: 80, rows: 24, env })).rejects.toThrow(/Terminals are not available/);
  });
});
