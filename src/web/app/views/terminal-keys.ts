import { h } from '../dom.js';
import { arrowSequence, stickyCtrl, type Arrow } from './terminal-key-codes.js';

export interface KeyRowHooks {
  /** Sends the bytes of a key to the shell. */
  send(data: string): void;
  applicationCursor(): boolean;
  /** After a key was pressed: the terminal takes the focus back (the phone's keyboard stays up). */
  refocus(): void;
}

/** The keys a phone's keyboard lacks: Esc, Tab, a sticky Ctrl, the arrows, | and ~. */
export function keyRow(hooks: KeyRowHooks) {
  const key = (name: string, label: string, ariaLabel: string, press: () => void) =>
    h(
      'button',
      {
        class: 'key',
        type: 'button',
        'data-key': name,
        'aria-label': ariaLabel,
        // Pressing a key must not take the focus from the terminal: the phone's keyboard would close.
        onmousedown: (event) => event.preventDefault(),
        onclick: () => {
          press();
          hooks.refocus();
        },
      },
      label,
    );
  const ctrlButton = key('ctrl', 'Ctrl', 'Control (applies to the next key)', () => ctrl.toggle());
  ctrlButton.setAttribute('aria-pressed', 'false');
  const ctrl = stickyCtrl((armed) => ctrlButton.setAttribute('aria-pressed', String(armed)));
  const arrow = (name: Arrow, label: string) =>
    key(name, label, `Arrow ${name}`, () => {
      const withCtrl = ctrl.armed;
      if (withCtrl) ctrl.toggle();
      hooks.send(arrowSequence(name, hooks.applicationCursor(), withCtrl));
    });
  const plain = (name: string, label: string, ariaLabel: string, data: string) => key(name, label, ariaLabel, () => hooks.send(ctrl.apply(data)));
  const root = h(
    'div',
    { class: 'keys', id: 'terminal-keys', role: 'toolbar', 'aria-label': 'Keys a phone keyboard lacks' },
    plain('esc', 'Esc', 'Escape', '\x1b'),
    plain('tab', 'Tab', 'Tab', '\t'),
    ctrlButton,
    arrow('left', '←'),
    arrow('up', '↑'),
    arrow('down', '↓'),
    arrow('right', '→'),
    plain('pipe', '|', 'Pipe', '|'),
    plain('tilde', '~', 'Tilde', '~'),
  );
  return { root, ctrl };
}
