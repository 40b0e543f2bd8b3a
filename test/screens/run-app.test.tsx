import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { Operations } from '../../src/core/operations.js';
import { runFullScreenApp } from '../../src/screens/run-app.js';
import { ENTER_ALTERNATE_SCREEN, HIDE_CURSOR, LEAVE_ALTERNATE_SCREEN, SHOW_CURSOR } from '../../src/screens/terminal-screen.js';
import { INSTALL_DIR, lifecyclePlan, logsNotUsed, notInstalled, operationsStub, plan, restartResult, snapshotFromStatus } from './fixtures.js';
import { FakeStdin, keys, pause, press } from './terminal.js';

/** A terminal whose stdout and stderr write into one journal, so the order of writes can be checked. */
function fakeTerminal() {
  const journal: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const output = (stream: 'stdout' | 'stderr') =>
    Object.assign(new EventEmitter(), {
      isTTY: true,
      columns: 80,
      rows: 24,
      write: (text: string) => {
        journal.push({ stream, text });
        return true;
      },
    });
  const stdin = new FakeStdin();
  const events = new EventEmitter();
  const terminal = {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: output('stdout') as unknown as NodeJS.WriteStream,
    stderr: output('stderr') as unknown as NodeJS.WriteStream,
    events,
    hostName: 'box-7',
    settleMs: 1000,
    patchConsole: false,
  };
  const text = () => journal.map((entry) => entry.text).join('');
  return { terminal, stdin, events, journal, text };
}

/** Operations whose install runs until aborted, then rejects the way the core does. */
function operationsThatInstallUntilAborted() {
  const seen = { status: 0, install: 0, installAborted: false };
  const operations: Operations = {
    ...operationsStub(),
    status: async () => notInstalled,
    watchDashboard: async (_options, onSnapshot) => {
      seen.status += 1;
      onSnapshot(snapshotFromStatus(notInstalled));
    },
    planLifecycle: async () => lifecyclePlan({ action: 'restart' }),
    runLifecycle: async () => restartResult,
    planInstall: async () => plan,
    install: (_plan, sink, signal) => {
      seen.install += 1;
      sink({ type: 'step-started', step: 'pull', title: 'Pulling 2 images' });
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => {
          seen.installAborted = true;
          setTimeout(() => reject(new OpenmatesError('interrupted', 'Stopped while pulling images.')), 20);
        });
      });
    },
    logs: logsNotUsed,
  };
  return { operations, seen };
}

const props = (operations: Operations) => ({ operations, installDir: INSTALL_DIR, cliVersion: '0.1.0' });

function expectScreenRestored(text: string) {
  const entered = text.indexOf(ENTER_ALTERNATE_SCREEN);
  const left = text.lastIndexOf(LEAVE_ALTERNATE_SCREEN);
  expect(entered).toBe(0);
  expect(text.indexOf(HIDE_CURSOR)).toBeGreaterThan(entered);
  expect(left).toBeGreaterThan(entered);
  expect(text.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(entered);
}

/** vi.waitFor gives up after 1 s by default: too short while the rest of the suite loads both cores. */
const BUSY_MACHINE = { timeout: 5000 };

describe('runFullScreenApp', () => {
  it('enters the alternate screen, and leaves it with exit code 0 on q', async () => {
    const { operations, seen } = operationsThatInstallUntilAborted();
    const { terminal, stdin, events, text } = fakeTerminal();
    const exit = runFullScreenApp(props(operations), terminal);
    await vi.waitFor(() => expect(seen.status).toBe(1), BUSY_MACHINE);
    await press(stdin, 'q');
    await expect(exit).resolves.toBe(0);
    expectScreenRestored(text());
    expect(events.listenerCount('SIGTERM')).toBe(0);
    expect(events.listenerCount('uncaughtException')).toBe(0);
  });

  it('on Ctrl-C during an install aborts it, waits for it to stop, restores the screen and exits 130', async () => {
    const { operations, seen } = operationsThatInstallUntilAborted();
    const { terminal, stdin, text } = fakeTerminal();
    const exit = runFullScreenApp(props(operations), terminal);
    await vi.waitFor(() => expect(seen.status).toBe(1), BUSY_MACHINE);
    await vi.waitFor(() => expect(text()).toContain('❯ Install'), BUSY_MACHINE); // not the Quit-only menu shown while checking
    await press(stdin, keys.enter); // Install
    // Wait for the question itself: on a busy machine planning can take longer than a keystroke's pause.
    await vi.waitFor(() => expect(text()).toContain(`into ${INSTALL_DIR}?`), BUSY_MACHINE);
    await press(stdin, keys.enter); // yes
    await vi.waitFor(() => expect(seen.install).toBe(1), BUSY_MACHINE);

    const settledAt = Date.now();
    await press(stdin, keys.ctrlC);
    await expect(exit).resolves.toBe(130);
    expect(seen.installAborted).toBe(true);
    expect(Date.now() - settledAt).toBeLessThan(900); // it settled, so no waiting out settleMs
    expectScreenRestored(text());
    expect(text().endsWith(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN)).toBe(true);
  });

  it('gives up waiting after settleMs when the operation ignores the abort', async () => {
    const stuck: Operations = {
      ...operationsStub(),
      status: () => new Promise(() => {}),
      watchDashboard: () => new Promise(() => {}),
      planLifecycle: () => new Promise(() => {}),
      runLifecycle: () => new Promise(() => {}),
      planInstall: async () => plan,
      install: () => new Promise(() => {}),
      logs: logsNotUsed,
    };
    const { terminal, stdin, text } = fakeTerminal();
    const exit = runFullScreenApp(props(stuck), { ...terminal, settleMs: 50 });
    await pause(50);
    await press(stdin, keys.ctrlC);
    await expect(exit).resolves.toBe(130);
    expectScreenRestored(text());
  });

  it('exits 143 on SIGTERM and 129 on SIGHUP, restoring the screen', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const { operations, seen } = operationsThatInstallUntilAborted();
      const { terminal, events, text } = fakeTerminal();
      const exit = runFullScreenApp(props(operations), terminal);
      await vi.waitFor(() => expect(seen.status).toBe(1), BUSY_MACHINE);
      events.emit(signal);
      await expect(exit).resolves.toBe(code);
      expectScreenRestored(text());
    }
  });

  it('on an uncaught exception restores the screen first, then prints the error, and exits 1', async () => {
    const { operations, seen } = operationsThatInstallUntilAborted();
    const { terminal, events, journal } = fakeTerminal();
    const exit = runFullScreenApp(props(operations), terminal);
    await vi.waitFor(() => expect(seen.status).toBe(1), BUSY_MACHINE);
    events.emit('uncaughtException', new Error('socket hang up in a stray callback'));
    await expect(exit).resolves.toBe(1);

    const leftAt = journal.findIndex((entry) => entry.text.includes(LEAVE_ALTERNATE_SCREEN));
    const printedAt = journal.findIndex((entry) => entry.stream === 'stderr' && entry.text.includes('socket hang up in a stray callback'));
    expect(leftAt).toBeGreaterThan(-1);
    expect(printedAt).toBeGreaterThan(leftAt);
  });

  it('an unhandled rejection ends the app the same way', async () => {
    const { operations, seen } = operationsThatInstallUntilAborted();
    const { terminal, events, journal } = fakeTerminal();
    const exit = runFullScreenApp(props(operations), terminal);
    await vi.waitFor(() => expect(seen.status).toBe(1), BUSY_MACHINE);
    events.emit('unhandledRejection', new OpenmatesError('operation-failed', 'The registry closed the connection.', 'Try again.'));
    await expect(exit).resolves.toBe(1);
    expect(journal.filter((entry) => entry.stream === 'stderr').map((entry) => entry.text).join('')).toContain('The registry closed the connection.');
  });
});
