import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { expect, vi } from 'vitest';

export const keys = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlC: '\x03',
} as const;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The frame as a user reads it: no colour codes. */
export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(ANSI, '');
}

export const pause = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Types keys with a pause around each: a screen that just appeared subscribes to input in an
 * effect after its first frame, and Ink needs a tick to tell a lone Esc from a key sequence.
 */
export async function press(stdin: { write(data: string): unknown }, ...sequence: string[]) {
  for (const key of sequence) {
    await pause();
    stdin.write(key);
    await pause();
  }
}

/** Waits until the plain frame contains every text, and returns it. */
export async function waitForText(lastFrame: () => string | undefined, ...texts: string[]): Promise<string> {
  await vi.waitFor(
    () => {
      const frame = plain(lastFrame());
      for (const text of texts) expect(frame).toContain(text);
    },
    { timeout: 5000, interval: 10 },
  );
  return plain(lastFrame());
}

/**
 * Moves the menu's selection down to the item with this label (the menu wraps around), so tests
 * do not depend on where an entry sits in a menu that grows.
 */
export async function chooseMenuItem(stdin: { write(data: string): unknown }, lastFrame: () => string | undefined, label: string, maxSteps = 15): Promise<void> {
  const moveTo = async (wanted: string) => {
    for (let step = 0; step <= maxSteps; step++) {
      if (plain(lastFrame()).includes(`❯ ${wanted}`)) return true;
      await press(stdin, keys.down);
    }
    return false;
  };
  if (await moveTo(label)) return;
  // The home screen keeps its occasional actions behind "More…".
  if (plain(lastFrame()).includes('More…') && (await moveTo('More…'))) {
    await press(stdin, keys.enter);
    if (await moveTo(label)) return;
  }
  throw new Error(`the menu has no selectable "${label}":\n${plain(lastFrame())}`);
}

/** A TTY-like output of a chosen size that keeps every frame (Ink's debug mode writes whole frames). */
export class SizedStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = () => this.frames.at(-1);
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** Raw-mode-capable input like ink-testing-library's. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  };
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

/** Like ink-testing-library's render, but at a terminal size the test picks. */
export function renderSized(tree: ReactElement, size: { columns: number; rows: number }) {
  const stdout = new SizedStdout(size.columns, size.rows);
  const stdin = new FakeStdin();
  const stderr = new SizedStdout(size.columns, size.rows);
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { ...instance, stdout, stdin, lastFrame: stdout.lastFrame };
}
