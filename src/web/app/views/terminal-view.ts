import type { RemoteTerminal } from '../../../remote/sdk/index.js';
import type { TerminalExitWire } from '../../../remote/protocol/ops.js';
import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { copySelection, pasteBox, readClipboard } from './terminal-clipboard.js';
import { coalescedWriter } from './terminal-input.js';
import { keyRow } from './terminal-keys.js';
import { terminalRows } from './terminal-list.js';
import { terminalScreen, type TerminalScreen } from './terminal-screen.js';

type Tone = 'info' | 'ok' | 'wait' | 'error';

/** Copy: the terminal's selection to the clipboard (watchers too). */
function copyKey(term: TerminalScreen['term'], say: (text: string, tone?: Tone) => void): HTMLButtonElement {
  return h('button', { class: 'key key-wide', type: 'button', id: 'terminal-copy', onmousedown: (event) => event.preventDefault(), onclick: () => void copySelection(term.getSelection(), say) }, 'Copy');
}

function exitText(exit: TerminalExitWire): string {
  if (exit.exitCode !== null) return `Shell exited with code ${exit.exitCode}`;
  return exit.signal ? `Shell ended by signal ${exit.signal}` : 'Shell ended';
}

/**
 * A shell on the server (xterm.js): open a new one (in safety mode after one approval), or re-join
 * a running one from the list; a watcher (another device's shell) reads but cannot type. The SDK
 * re-attaches the output after a dropped connection from the last byte the page has.
 */
export function terminalView(context: AppContext) {
  const { server } = context;
  const root = h('section', { class: 'card terminal-card', 'aria-labelledby': 'terminal-title', id: 'terminal' });
  /** The session shown, if any: leaving it (back to the list) stops reading; the shell goes on. */
  let session: { leave(): void; screen: TerminalScreen } | undefined;

  const title = () => h('h2', { id: 'terminal-title' }, 'Terminal');

  const list = async () => {
    const open = h('button', { class: 'button', type: 'button', id: 'terminal-open', onclick: () => void openNew() }, 'Open a shell');
    const running = h('div', { id: 'terminal-running' }, h('p', { class: 'quiet' }, 'Loading…'));
    show(root, title(), h('p', { class: 'quiet' }, 'A shell on the server: it runs whatever is typed (commands are not checked one by one).'), h('div', { class: 'actions' }, open), h('h3', {}, 'Running shells'), running);
    try {
      const terminals = await server.terminal.list();
      show(running, terminalRows(terminals, server.device.id, (terminal) => void rejoin(terminal.id)));
    } catch (error) {
      if (server.closed) return context.lost(error);
      show(running, h('p', { class: 'error' }, `Terminals: ${errorText(error)}`));
    }
  };

  /** The session's page: its state line, the screen, the key row and actions (owner), and the end. */
  const sessionPage = (readOnly: boolean) => {
    const state = h('p', { class: 'quiet', id: 'terminal-state', role: 'status' });
    const say = (text: string, tone: Tone = 'info') => {
      state.textContent = text;
      state.title = text;
      state.className = `terminal-state ${tone}`;
    };
    const screen = terminalScreen({ readOnly });
    const controls = h('div', { class: 'terminal-controls' });
    const end = h('div', { id: 'terminal-end' });
    const back = h('button', { class: 'button secondary', type: 'button', id: 'terminal-back' }, '← Terminals');
    // The tab says Terminal already: the title is for screen readers here.
    const head = h('div', { class: 'terminal-head' }, back, h('h2', { id: 'terminal-title', class: 'visually-hidden' }, 'Terminal'));
    show(root, head, state, screen.element, controls, end);
    screen.open();
    return { head, say, screen, controls, end, back };
  };

  const openNew = async () => {
    session?.leave();
    const page = sessionPage(false);
    const opening = new AbortController();
    session = {
      screen: page.screen,
      leave: () => {
        opening.abort();
        page.screen.dispose();
      },
    };
    page.back.addEventListener('click', () => leaveToList());
    page.say('Opening a shell…', 'wait');
    const { cols, rows } = page.screen.size();
    let terminal: RemoteTerminal;
    try {
      terminal = await server.terminal.create({
        cols,
        rows,
        signal: opening.signal,
        onApproval: () => page.say('Waiting for approval on your approver device…', 'wait'),
      });
    } catch (error) {
      if (opening.signal.aborted) return;
      if (server.closed) return context.lost(error);
      page.say(`No shell: ${errorText(error)}`, 'error');
      show(page.end, newShellButton());
      return;
    }
    if (opening.signal.aborted) {
      // Left while it opened: the shell stays, listed to re-join.
      return;
    }
    run(page, terminal, false);
  };

  const rejoin = async (id: string) => {
    session?.leave();
    let terminal: RemoteTerminal;
    try {
      terminal = await server.terminal.attach(id);
    } catch (error) {
      if (server.closed) return context.lost(error);
      context.notify(`Could not re-join: ${errorText(error)}`, 'error');
      return list();
    }
    const readOnly = terminal.info.device.id !== server.device.id;
    const page = sessionPage(readOnly);
    page.back.addEventListener('click', () => leaveToList());
    run(page, terminal, readOnly);
  };

  const newShellButton = () => h('button', { class: 'button', type: 'button', id: 'terminal-new', onclick: () => void openNew() }, 'Open a new shell');

  const leaveToList = () => {
    session?.leave();
    session = undefined;
    void list();
  };

  /** Reads the output into the screen until the shell ends (or the page leaves); as owner, sends what is typed and the size. */
  const run = (page: ReturnType<typeof sessionPage>, terminal: RemoteTerminal, readOnly: boolean) => {
    const { screen, say } = page;
    const { term } = screen;
    const reading = new AbortController();
    const cleanups: (() => void)[] = [];
    let ended = false;
    const leave = () => {
      reading.abort();
      for (const cleanup of cleanups) cleanup();
      screen.dispose();
    };
    session = { screen, leave };
    const described = readOnly ? `Read-only: ${terminal.info.device.name}’s shell (only the device that opened it can type)` : `${terminal.info.shell} in ${terminal.info.cwd}`;
    say(described, readOnly ? 'info' : 'ok');
    root.dataset.terminal = terminal.id;
    root.dataset.readOnly = String(readOnly);

    // The connection's state, in this view's own words (the page's banner says the rest).
    cleanups.push(
      server.connection.onChange((state) => {
        if (ended) return;
        if (state.state === 'reconnecting') say('Reconnecting… the shell keeps running on the server.', 'wait');
        else if (state.state === 'connected') say(described, readOnly ? 'info' : 'ok');
      }),
    );

    if (readOnly) {
      screen.follow(terminal.info.cols, terminal.info.rows);
      show(page.controls, h('div', { class: 'keys' }, copyKey(term, say)));
    } else wireInput(page, terminal, cleanups, () => ended);

    void (async () => {
      try {
        for await (const item of terminal.output({ after: 0, signal: reading.signal })) {
          if (item.type === 'output') term.write(item.bytes);
          else if (item.type === 'size') {
            if (readOnly) screen.follow(item.cols, item.rows);
          } else term.write(`\r\n\x1b[2m[${item.bytes} bytes of earlier output are no longer kept]\x1b[0m\r\n`);
        }
        if (reading.signal.aborted) return;
        const exit = await terminal.exited;
        ended = true;
        term.options.disableStdin = true;
        term.options.cursorBlink = false;
        say(exitText(exit), exit.exitCode === 0 ? 'info' : 'error');
        show(page.controls);
        page.head.querySelector('#terminal-close')?.remove();
        show(page.end, h('p', { class: 'line bold', id: 'terminal-exit' }, exitText(exit)), newShellButton());
      } catch (error) {
        if (reading.signal.aborted) return;
        if (server.closed) return context.lost(error);
        ended = true;
        say(`The terminal stopped: ${errorText(error)}`, 'error');
        show(page.end, newShellButton());
      }
    })();
  };

  /** The owner's half: keystrokes (coalesced per frame, through the sticky Ctrl), the key row, copy and paste, resizes, close. */
  const wireInput = (page: ReturnType<typeof sessionPage>, terminal: RemoteTerminal, cleanups: (() => void)[], ended: () => boolean) => {
    const { screen, say } = page;
    const { term } = screen;
    const writer = coalescedWriter(
      (data) => terminal.write(data),
      (error) => !ended() && say(`Not sent: ${errorText(error)}`, 'error'),
      (run) => requestAnimationFrame(run),
    );
    const keys = keyRow({ send: (data) => writer.push(data), applicationCursor: () => term.modes.applicationCursorKeysMode, refocus: () => term.focus() });
    const data = term.onData((typed) => writer.push(keys.ctrl.apply(typed)));
    // The size the shell has; a refit that changes it is sent once per frame.
    let sent = { cols: terminal.info.cols, rows: terminal.info.rows };
    let resizeQueued = false;
    const sendSize = () => {
      if (resizeQueued) return;
      resizeQueued = true;
      requestAnimationFrame(() => {
        resizeQueued = false;
        const { cols, rows } = screen.size();
        if (ended() || (cols === sent.cols && rows === sent.rows)) return;
        sent = { cols, rows };
        terminal.resize(cols, rows).catch((error: unknown) => !ended() && say(`Resize not sent: ${errorText(error)}`, 'error'));
      });
    };
    const resized = term.onResize(sendSize);
    cleanups.push(() => data.dispose(), () => resized.dispose());
    // The box may have been fitted to another size than the one the shell was opened (or last left) with.
    screen.fit();
    sendSize();

    const paste = h('div', { id: 'terminal-paste-slot' });
    const copyButton = copyKey(term, say);
    const pasteButton = h(
      'button',
      {
        class: 'key key-wide',
        type: 'button',
        id: 'terminal-paste-button',
        onclick: async () => {
          const text = await readClipboard();
          if (text) {
            term.paste(text);
            return term.focus();
          }
          const done = () => {
            show(paste);
            term.focus();
          };
          show(paste, pasteBox((typed) => term.paste(typed), done));
        },
      },
      'Paste',
    );
    keys.root.append(copyButton, pasteButton);
    const close = h(
      'button',
      {
        class: 'button secondary',
        type: 'button',
        id: 'terminal-close',
        onclick: () =>
          void terminal.close().catch((error: unknown) => {
            if (server.closed) return context.lost(error);
            say(`Not closed: ${errorText(error)}`, 'error');
          }),
      },
      'Close',
    );
    page.head.append(close);
    cleanups.push(() => close.remove());
    show(page.controls, keys.root, paste);
    term.focus();
  };

  const refresh = async () => {
    if (session) return session.screen.fit();
    await list();
  };
  return {
    root,
    refresh,
    /** The connection is gone for good: stop reading. */
    stop: () => session?.leave(),
  };
}
