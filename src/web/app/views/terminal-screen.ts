import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { h } from '../dom.js';
import { routeStyleElementsToSheets } from './terminal-styles.js';

/** Before the terminal has been laid out (or while its view is hidden): a size to start with. */
const FALLBACK = { cols: 80, rows: 24 };

/** xterm.js in a box that fills the space the page gives it, fitted again whenever that space changes. */
export interface TerminalScreen {
  readonly term: Terminal;
  readonly element: HTMLElement;
  /** Opens xterm.js in `element` (which must be in the document by then) and fits it. */
  open(): void;
  /** Fits the columns and rows to the box (does nothing while it is hidden); xterm's onResize follows a change. */
  fit(): void;
  /** The size fitted now. */
  size(): { cols: number; rows: number };
  /** For a watcher: the size the shell has (its owner's), whatever the box is. */
  follow(cols: number, rows: number): void;
  dispose(): void;
}

export function terminalScreen(options: { readOnly: boolean }): TerminalScreen {
  routeStyleElementsToSheets();
  const element = h('div', { class: 'terminal-screen', id: 'terminal-screen' });
  const term = new Terminal({
    fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
    fontSize: window.matchMedia('(min-width: 700px)').matches ? 15 : 13,
    cursorBlink: !options.readOnly,
    disableStdin: options.readOnly,
    scrollback: 5000,
    theme: { background: '#111318', foreground: '#e9ebef', cursor: '#7aa7ff', selectionBackground: '#3a5590' },
  });
  const fitAddon = new FitAddon();
  term.loadAddon(fitAddon);
  let following = false;
  const visible = () => element.isConnected && element.clientWidth > 0 && element.clientHeight > 0;
  const fit = () => {
    if (!following && visible()) fitAddon.fit();
  };
  let queued = false;
  const refit = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fit();
    });
  };
  // The window (a rotated phone, a resized desktop window) and the box itself (the view shown again, the keyboard opening).
  const observer = new ResizeObserver(refit);
  window.addEventListener('resize', refit);
  window.addEventListener('orientationchange', refit);
  return {
    term,
    element,
    open() {
      term.open(element);
      observer.observe(element);
      fit();
    },
    fit,
    size: () => (term.element ? { cols: term.cols, rows: term.rows } : FALLBACK),
    follow(cols, rows) {
      following = true;
      term.resize(cols, rows);
    },
    dispose() {
      observer.disconnect();
      window.removeEventListener('resize', refit);
      window.removeEventListener('orientationchange', refit);
      term.dispose();
    },
  };
}
