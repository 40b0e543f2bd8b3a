import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../../src/core/errors.js';
import { createStaticRedactor } from '../../../../../src/core/secrets/index.js';
import { TerminalManager, type TerminalReader, type TerminalSession } from '../../../../../src/core/terminals/index.js';
import { createRecordings, openAgentRecordings, parseCastEvent, parseCastHeader, type RecordingBounds } from '../../../../../src/remote/agent/recordings/index.js';
import { recordingsDir } from '../../../../../src/remote/agent/state-dir.js';

const PASSWORD = '4b8d2f6a1c3e5a7b9d0f2e4c6a8b0d1f3e5c7a9b';
const DEVICE = { id: 'dev-1', name: 'laptop' };
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PS1: '$ ' };
const roomy: RecordingBounds = { maxBytes: 1024 ** 3, maxAgeDays: 7 };

let home: string;
let dir: string;
let manager: TerminalManager;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'om-rec-'));
  dir = recordingsDir(join(home, 'state'));
  manager = new TerminalManager();
});
afterEach(async () => {
  manager.stopAll(new OpenmatesError('interrupted', 'test over'));
  await rm(home, { recursive: true, force: true });
});

const open = (cols = 80, rows = 24): Promise<TerminalSession> => manager.create({ shell: '/bin/sh', cwd: home, cols, rows, env });

async function readUntil(reader: TerminalReader, text: string, seen = { text: '' }): Promise<string> {
  while (!seen.text.includes(text)) {
    const next = await reader.next();
    if ('exit' in next) throw new Error(`the shell exited before printing ${text}: ${seen.text}`);
    seen.text += next.output.bytes.toString('utf8');
  }
  return seen.text;
}

/** Ends the shell once `marker` was printed (what a PTY still holds when its shell exits on its own is dropped by Linux). */
async function endAfter(session: TerminalSession, marker: string): Promise<void> {
  const reader = manager.attach(session.id, 'test');
  await readUntil(reader, marker);
  session.write('exit\r');
  for (;;) if ('exit' in (await reader.next())) return;
}

async function castOf(path: string) {
  const [headerLine, ...lines] = (await readFile(path, 'utf8')).split('\n');
  expect(lines.pop()).toBe('');
  return { header: parseCastHeader(headerLine!)!, events: lines.map((line) => parseCastEvent(line)!) };
}

describe('terminal recordings (asciicast v2) of a real PTY session', () => {
  it('writes the header, output and resize events in order into a 0600 file in a 0700 dir, and lists it', async () => {
    const warnings: string[] = [];
    const recordings = createRecordings({ dir, bounds: async () => roomy, warn: (message) => warnings.push(message) });
    const session = await open(80, 24);
    const started = recordings.start(session, { device: DEVICE });
    expect(started.name).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z-${session.id}$`));
    expect(started.path).toBe(join(dir, `${started.name}.cast`));
    session.write('printf "\\033[1;31mred\\033[0m %s\\n" gr""üße\r');
    const reader = manager.attach(session.id, 'test');
    await readUntil(reader, 'grüße\r\n');
    session.resize(100, 30);
    session.write('stty size\r');
    await readUntil(reader, '30 100');
    reader.close();
    await endAfter(session, '$ ');
    await started.finished;

    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(started.path)).mode & 0o777).toBe(0o600);
    const { header, events } = await castOf(started.path);
    expect(header).toMatchObject({
      version: 2,
      width: 80,
      height: 24,
      env: { TERM: 'xterm-256color', SHELL: '/bin/sh' },
      title: `${session.id} from laptop`,
      openmates: { terminal: session.id, device: DEVICE },
    });
    expect(Math.abs(header.timestamp! * 1000 - Date.parse(session.info().startedAt))).toBeLessThan(2000);
    const output = events.filter((event) => event.code === 'o').map((event) => event.data).join('');
    expect(output).toContain('\u001b[1;31mred\u001b[0m grüße\r\n');
    const resize = events.findIndex((event) => event.code === 'r');
    expect(events[resize]!.data).toBe('100x30');
    expect(events.slice(0, resize).map((event) => event.data).join('')).toContain('grüße');
    expect(events.slice(resize).map((event) => event.data).join('')).toContain('30 100');
    expect(events.map((event) => event.time)).toEqual(events.map((event) => event.time).sort((a, b) => a - b));
    expect(warnings).toEqual([]);

    const [listed, ...others] = await recordings.list();
    expect(others).toEqual([]);
    expect(listed).toEqual({
      name: started.name,
      path: started.path,
      bytes: (await stat(started.path)).size,
      startedAt: header.openmates!.startedAt,
      device: DEVICE,
      terminal: session.id,
      cols: 80,
      rows: 24,
      durationSeconds: events.at(-1)!.time,
    });
  });

  it('with a redactor, a secret the PTY delivers in two chunks is in the file only as its token', async () => {
    const redactor = createStaticRedactor([{ source: 'install-env', name: 'DATABASE_PASSWORD', value: PASSWORD }]);
    const recordings = createRecordings({ dir, bounds: async () => roomy });
    const session = await open();
    const chunks: string[] = [];
    session.onOutput((bytes) => chunks.push(bytes.toString()));
    const started = recordings.start(session, { device: DEVICE, redactor });
    const half = PASSWORD.length / 2;
    session.write(`printf "%s" ${PASSWORD.slice(0, half)}; sleep 0.3; printf "%s\\n" ${PASSWORD.slice(half)}; echo en""d\r`);
    await endAfter(session, 'end\r\n');
    await started.finished;

    // The PTY really did split it: no chunk held the whole secret.
    expect(chunks.join('')).toContain(PASSWORD);
    expect(chunks.some((chunk) => chunk.includes(PASSWORD))).toBe(false);
    const file = await readFile(started.path, 'utf8');
    expect(file).not.toContain(PASSWORD.slice(2, -2));
    const { events } = await castOf(started.path);
    expect(events.map((event) => event.data).join('')).toContain('<SECRET:install-env:DATABASE_PASSWORD:4b…9b>\r\nend\r\n');
  });

  it('a recording that cannot be written warns once and the session goes on', async () => {
    await writeFile(join(home, 'state'), 'a file where the state dir should be');
    const warnings: string[] = [];
    const recordings = createRecordings({ dir, bounds: async () => roomy, warn: (message) => warnings.push(message) });
    const session = await open();
    const started = recordings.start(session, { device: DEVICE });
    const reader = manager.attach(session.id, 'test');
    session.write('echo st""ill here\r');
    await readUntil(reader, 'still here\r\n');
    reader.close();
    await endAfter(session, '$ ');
    await started.finished;
    expect(warnings.filter((warning) => warning.includes('stopped'))).toEqual([expect.stringMatching(new RegExp(`^The recording of terminal ${session.id} \\(${started.name}\\) stopped: writing it failed: .*The terminal goes on, unrecorded from here\\.$`))]);
  });

  it('a recording that reaches the size bound stops there with one warning, whole lines only, and the session goes on', async () => {
    const warnings: string[] = [];
    const recordings = createRecordings({ dir, bounds: async () => ({ maxBytes: 2000, maxAgeDays: 7 }), warn: (message) => warnings.push(message) });
    const session = await open();
    const started = recordings.start(session, { device: DEVICE });
    const reader = manager.attach(session.id, 'test');
    session.write('i=0; while [ $i -lt 200 ]; do echo line-$i-padding; i=$((i+1)); done; echo do""ne\r');
    await readUntil(reader, 'done\r\n');
    session.write('echo st""ill going\r');
    await readUntil(reader, 'still going\r\n');
    reader.close();
    await endAfter(session, '$ ');
    await started.finished;
    expect(warnings).toEqual([expect.stringContaining('stopped: it reached')]);
    expect((await stat(started.path)).size).toBeLessThanOrEqual(2000);
    const { header, events } = await castOf(started.path);
    expect(header.openmates!.terminal).toBe(session.id);
    // Whatever made it in (a first PTY chunk larger than the room left is refused whole) is whole events.
    expect(events.every((event) => event !== undefined)).toBe(true);
  });

  it('stopAll finishes every recording at once: the file is complete and closed while the shell still runs', async () => {
    const recordings = createRecordings({ dir, bounds: async () => roomy });
    const session = await open();
    const started = recordings.start(session, { device: DEVICE, redactor: createStaticRedactor([]) });
    const reader = manager.attach(session.id, 'test');
    session.write('echo o""k\r');
    await readUntil(reader, 'ok\r\n');
    await recordings.stopAll();
    await started.finished;
    expect(session.exit).toBeUndefined();
    // The stream redactor held the tail back: stopping wrote it out.
    const { events } = await castOf(started.path);
    expect(events.map((event) => event.data).join('')).toContain('ok\r\n');
  });
});

describe('pruning recordings by the undo journal\'s bounds', () => {
  const day = 86_400_000;
  const now = Date.parse('2026-06-10T12:00:00Z');

  async function cast(name: string, bytes: number, writtenAt: number): Promise<void> {
    const path = join(dir, `${name}.cast`);
    const header = JSON.stringify({ version: 2, width: 80, height: 24, timestamp: Math.floor(writtenAt / 1000) });
    await writeFile(path, `${header}\n${'x'.repeat(Math.max(0, bytes - header.length - 1))}`);
    await utimes(path, writtenAt / 1000, writtenAt / 1000);
  }
  const left = async () => (await readdir(dir)).sort();

  it('removes those ended more than maxAgeDays ago, then the oldest while all together are over maxBytes', async () => {
    await mkdir(dir, { recursive: true });
    await cast('2026-06-01T10-00-00.000Z-t-old', 1000, now - 9 * day);
    await cast('2026-06-08T10-00-00.000Z-t-a', 4000, now - 2 * day);
    await cast('2026-06-09T10-00-00.000Z-t-b', 4000, now - day);
    await cast('2026-06-10T10-00-00.000Z-t-c', 4000, now - 60_000);
    await writeFile(join(dir, 'notes.txt'), 'not a recording');
    let bounds: RecordingBounds = { maxBytes: 1024 ** 3, maxAgeDays: 7 };
    const recordings = createRecordings({ dir, bounds: async () => bounds, now: () => new Date(now) });
    expect(await recordings.prune()).toEqual({ removed: 1 });
    expect(await left()).toEqual(['2026-06-08T10-00-00.000Z-t-a.cast', '2026-06-09T10-00-00.000Z-t-b.cast', '2026-06-10T10-00-00.000Z-t-c.cast', 'notes.txt']);
    bounds = { maxBytes: 9000, maxAgeDays: 7 };
    expect(await recordings.prune()).toEqual({ removed: 1 });
    expect(await left()).toEqual(['2026-06-09T10-00-00.000Z-t-b.cast', '2026-06-10T10-00-00.000Z-t-c.cast', 'notes.txt']);
    expect(await recordings.prune()).toEqual({ removed: 0 });
    expect((await recordings.list()).map((recording) => recording.terminal)).toEqual(['t-c', 't-b']);
  });

  it('runs after each start and never removes a recording being written', async () => {
    await mkdir(dir, { recursive: true });
    await cast('2026-06-09T10-00-00.000Z-t-b', 4000, Date.now() - 60_000);
    let bounds: RecordingBounds = { maxBytes: 1024 * 1024, maxAgeDays: 7 };
    const recordings = createRecordings({ dir, bounds: async () => bounds });
    const first = await open();
    const started = recordings.start(first, { device: DEVICE });
    const reader = manager.attach(first.id, 'test');
    first.write('head -c 3000 /dev/zero | tr "\\0" y; echo; echo do""ne\r');
    await readUntil(reader, 'done\r\n');
    reader.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await left()).toEqual(['2026-06-09T10-00-00.000Z-t-b.cast', `${started.name}.cast`]);

    // Over a tighter bound now: the prune after the next start removes the finished one, not the two being written.
    bounds = { maxBytes: 2000, maxAgeDays: 7 };
    const second = await open();
    const other = recordings.start(second, { device: DEVICE });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await left()).toEqual([`${started.name}.cast`, `${other.name}.cast`]);
    await endAfter(first, '$ ');
    await started.finished;
    expect(await recordings.prune()).toEqual({ removed: 1 });
    expect(await left()).toEqual([`${other.name}.cast`]);
    await recordings.stopAll();
  });
});

describe('the agent\'s recordings', () => {
  it('are in <stateDir>/recordings and bounded by the settings undo-max-size and undo-max-age', async () => {
    const config = join(home, 'config');
    await mkdir(join(config, 'openmates'), { recursive: true });
    await writeFile(join(config, 'openmates', 'config.json'), JSON.stringify({ undoMaxBytes: 1024 * 1024, undoMaxAgeDays: 1 }));
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = config;
    try {
      const stateDir = join(home, 'state');
      await mkdir(dir, { recursive: true });
      const big = 'x'.repeat(700 * 1024);
      for (const name of ['2026-06-01T10-00-00.000Z-t-a', '2026-06-02T10-00-00.000Z-t-b']) {
        await writeFile(join(dir, `${name}.cast`), `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n${big}`);
      }
      await writeFile(join(dir, '2026-06-03T10-00-00.000Z-t-c.cast'), `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n`);
      await utimes(join(dir, '2026-06-03T10-00-00.000Z-t-c.cast'), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000));
      // Over 1 MiB together: the older big one goes; older than a day: the small one goes.
      expect(await openAgentRecordings(stateDir).prune()).toEqual({ removed: 2 });
      expect((await openAgentRecordings(stateDir).list()).map((recording) => recording.terminal)).toEqual(['t-b']);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });
});
