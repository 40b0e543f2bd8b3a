import { h } from '../dom.js';
import { ageText } from '../format.js';
import type { Snapshot } from '../snapshot.js';
import { hostFacts } from './host-view.js';
import { stackSummary } from './stack-status.js';

/** The last snapshot of the dashboard, with its age, while the page cannot reach the server. */
export function offlineView(snapshot: Snapshot): HTMLElement {
  return h(
    'div',
    { id: 'offline' },
    h('p', { class: 'notice wait', id: 'snapshot-age' }, `Offline: what the server showed ${ageText(snapshot.savedAt)} (${new Date(snapshot.savedAt).toLocaleString()}).`),
    snapshot.host && h('section', { class: 'card', id: 'host' }, h('h2', {}, 'Host'), ...hostFacts(snapshot.host)),
    snapshot.status && h('section', { class: 'card', id: 'services' }, h('h2', {}, 'Services'), ...stackSummary(snapshot.status)),
  );
}
