import type { TerminalInfoWire } from '../../../remote/protocol/ops.js';
import { h } from '../dom.js';
import { ageText } from '../format.js';

/** The running terminals, each a button to re-join it: as its owner (typing) or as a watcher (read-only). */
export function terminalRows(terminals: TerminalInfoWire[], myDeviceId: string, join: (terminal: TerminalInfoWire) => void): HTMLElement {
  const running = terminals.filter((terminal) => !terminal.exit);
  if (running.length === 0) return h('p', { class: 'quiet', id: 'terminal-none' }, 'No shell is running on the server.');
  return h(
    'ul',
    { class: 'rows', id: 'terminal-list', 'aria-label': 'Running terminals' },
    ...running.map((terminal) => {
      const mine = terminal.device.id === myDeviceId;
      return h(
        'li',
        {},
        h(
          'button',
          { class: 'row row-button', type: 'button', 'data-terminal': terminal.id, 'data-mine': String(mine), onclick: () => join(terminal) },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, '▸'),
          h(
            'span',
            { class: 'row-main' },
            h('span', { class: 'path' }, `${terminal.shell} in ${terminal.cwd}`),
            h('br'),
            h('span', { class: 'quiet' }, `${terminal.cols}×${terminal.rows}, opened ${ageText(terminal.startedAt)} by ${mine ? 'this device' : terminal.device.name}`),
          ),
          h('span', { class: 'badge' }, mine ? 'Re-join' : 'Watch'),
        ),
      );
    }),
  );
}
