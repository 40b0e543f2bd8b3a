import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xterm from '@xterm/headless';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../../src/core/errors.js';
import { createStaticRedactor } from '../../../../../src/core/secrets/index.js';
import { TerminalManager, type TerminalReader, type TerminalSession } from '../../../../../src/core/terminals/index.js';
import { createRecordings, parseCastEvent, parseCastHeader } from '../../../../../src/remote/agent/recordings/index.js';

const { Terminal } = xterm;
type Screen = InstanceType<typeof Terminal>;

/**
 * The recording plays back to the same screen: a real PTY session draws (colours, cursor moves,
 * a clear, a line that wraps, a resize, busybox vi full screen); its live output goes into one
 * headless xterm, the .cast file into another, and the two screens are compared line by line.
 */
let home: string;
let manager: TerminalManager;
const env = { PATH: process.env.PATH, HOME: process.env.HOME, PS1: '$ ' };

beforeEach(async () => {
  if (spawnSync('busybox', ['true']).status !== 0) throw new Error('busybox is missing (its vi draws the full screen here): scripts/test-env/ensure-tools.sh installs busybox-static');
  home = await mkdtemp(join(tmpdir(), 'om-replay-'));
  manager = new TerminalManager();
});
afterEach(async () => {
  manager.stopAll(new OpenmatesError('interrupted', 'test over'));
  await rm(home, { recursive: true, force: true });
});

/** Feeds a headless terminal in order: a resize waits for the writes before it to be parsed. */
class Feed {
  readonly screen: Screen;
  private chain = Promise.resolve();
  bytes = 0;

  constructor(cols: number, rows: number) {
    this.screen = new Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true });
  }

  write(data: string | Uint8Array): void {
    this.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    this.chain = this.chain.then(() => new Promise<void>((resolve) => this.screen.write(data, resolve)));
  }

  resize(cols: number, rows: number): void {
    this.chain = this.chain.then(() => this.screen.resize(cols, rows));
  }

  /** Every line of the buffer (scrollback too), the size and the cursor, once all is parsed. */
  async text(): Promise<string[]> {
    await this.chain;
    const buffer = this.screen.buffer.active;
    const lines = [`${this.screen.cols}x${this.screen.rows} ${buffer.type} cursor ${buffer.cursorX},${buffer.cursorY} base ${buffer.baseY}`];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)!.translateToString(true));
    return lines;
  }
}

async function readUntil(reader: TerminalReader, text: string, seen: { text: string }): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!seen.text.includes(text)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(text)} in 5 s; the end of the output: ${JSON.stringify(seen.text.slice(-400))}`)), deadline - Date.now())));
    const next = await Promise.race([reader.next(), late]).finally(() => clearTimeout(timer));
    if ('exit' in next) throw new Error(`the shell exited before printing ${text}: ${seen.text.slice(-500)}`);
    seen.text += next.output.bytes.toString('utf8');
  }
}

async function replay(path: string, options: { untilBytes?: number; skipResizes?: boolean } = {}): Promise<Feed> {
  const [headerLine, ...lines] = (await readFile(path, 'utf8')).split('\n');
  const header = parseCastHeader(headerLine!)!;
  const feed = new Feed(header.width, header.height);
  for (const line of lines) {
    if (options.untilBytes !== undefined && feed.bytes >= options.untilBytes) break;
    const event = parseCastEvent(line);
    if (event?.code === 'o') feed.write(event.data);
    if (event?.code === 'r' && !options.skipResizes) {
      const [cols, rows] = event.data.split('x').map(Number);
      feed.resize(cols!, rows!);
    }
  }
  return feed;
}

/** Drives the session: returns the live screen while vi showed its text, and the byte count fed by then. */
async function drawThings(session: TerminalSession, live: Feed): Promise<{ viScreen: string[]; viBytes: number }> {
  const reader = manager.attach(session.id, 'test');
  const seen = { text: '' };
  const run = async (command: string, until: string) => {
    session.write(command);
    await readUntil(reader, until, seen);
  };
  await run(`printf '\\033[2J\\033[H\\033[1;32mgreen\\033[0m top\\n\\033[6;12Hat 6,12 \\033[41;37mon red\\033[0m\\n'; echo f""irst\r`, 'first\r\n');
  // A cursor move past the bottom right corner lands where the size at the time says: drawn after the resize it would land elsewhere.
  await run(`printf '%s\\n' "$(printf 'wrap-%.0s' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)"; printf '\\033[40;100Hcorner\\n'; echo w""rapped\r`, 'wrapped\r\n');
  session.resize(72, 22);
  await run('stty size; echo re""sized\r', 'resized\r\n');
  await run('busybox vi notes.txt\r', 'notes.txt');
  await run('ihello from vi, über ✓\x1b', 'über ✓');
  // vi draws its status line last: let the PTY settle so the snapshot is of a whole screen.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const viBytes = live.bytes;
  const viScreen = await live.text();
  // Leaving the alternate screen: vi is gone, the shell's screen is back.
  await run(':wq\r', '\u001b[?1049l');
  await run('seq 1 30; echo do""ne\r', 'done\r\n');
  session.write('exit\r');
  for (;;) if ('exit' in (await reader.next())) break;
  return { viScreen, viBytes };
}

describe('a recording replays to the screen the live session drew', () => {
  it('without a redactor: the same screen in vi (at the same byte) and at the end; without its resize events it differs', async () => {
    const recordings = createRecordings({ dir: join(home, 'recordings'), bounds: async () => ({ maxBytes: 1024 ** 3, maxAgeDays: 7 }) });
    const session = await manager.create({ shell: '/bin/sh', cwd: home, cols: 60, rows: 18, env });
    const live = new Feed(60, 18);
    session.onOutput((bytes) => live.write(bytes));
    session.onResize((cols, rows) => live.resize(cols, rows));
    const started = recordings.start(session, { device: { id: 'd', name: 'phone' } });
    const { viScreen, viBytes } = await drawThings(session, live);
    await started.finished;

    const liveEnd = await live.text();
    expect(viScreen.join('\n')).toContain('hello from vi, über ✓');
    expect(viScreen[0]).toMatch(/^72x22 alternate /);
    expect(liveEnd.join('\n')).toContain('wrap-wrap-');
    expect(await (await replay(started.path, { untilBytes: viBytes })).text()).toEqual(viScreen);
    expect(await (await replay(started.path)).text()).toEqual(liveEnd);
    expect(await (await replay(started.path, { skipResizes: true })).text()).not.toEqual(liveEnd);
  }, 20_000);

  it('through the stream redactor (which holds text back): the same final screen', async () => {
    const recordings = createRecordings({ dir: join(home, 'recordings'), bounds: async () => ({ maxBytes: 1024 ** 3, maxAgeDays: 7 }) });
    const session = await manager.create({ shell: '/bin/sh', cwd: home, cols: 60, rows: 18, env });
    const live = new Feed(60, 18);
    session.onOutput((bytes) => live.write(bytes));
    session.onResize((cols, rows) => live.resize(cols, rows));
    const redactor = createStaticRedactor([{ source: 'install-env', name: 'DATABASE_PASSWORD', value: 'never-printed-in-this-session-81f3' }]);
    const started = recordings.start(session, { device: { id: 'd', name: 'phone' }, redactor });
    await drawThings(session, live);
    await started.finished;
    expect(await (await replay(started.path)).text()).toEqual(await live.text());
  }, 20_000);
});
