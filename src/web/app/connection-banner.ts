import type { ConnectionState, RemoteServer } from '../../remote/sdk/index.js';
import { h } from './dom.js';
import { ageText } from './format.js';
import { loadSnapshot } from './snapshot.js';

/**
 * While the SDK reconnects on its own: a line at the top saying so, with the age of what the page
 * shows (its last snapshot); gone once connected again. The views stay as they were, and their
 * streams (logs, approvals) continue by themselves after the reconnect.
 */
export function followConnection(server: RemoteServer, hooks: { setState(text: string, tone: 'ok' | 'wait'): void; connectedText: string; place(banner: HTMLElement): void; onBack(): void; onClosed(error: unknown): void }): () => void {
  let banner: HTMLElement | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const describe = (state: Extract<ConnectionState, { state: 'reconnecting' }>) => {
    const snapshot = loadSnapshot();
    const wait = Math.max(0, Math.round((Date.parse(state.retryAt) - Date.now()) / 1000));
    const age = snapshot ? ` Showing what the server showed ${ageText(snapshot.savedAt)} (${new Date(snapshot.savedAt).toLocaleString()}).` : '';
    return `Offline: the connection dropped (${state.reason}); trying again${wait > 0 ? ` in ${wait} s` : ' now'}.${age}`;
  };
  const unsubscribe = server.connection.onChange((state) => {
    clearInterval(ticker);
    if (state.state === 'reconnecting') {
      hooks.setState('Reconnecting…', 'wait');
      banner ??= h('p', { class: 'notice wait', id: 'snapshot-age', role: 'status' });
      banner.textContent = describe(state);
      hooks.place(banner);
      ticker = setInterval(() => banner && (banner.textContent = describe(state)), 1000);
    } else if (state.state === 'connected') {
      banner?.remove();
      banner = undefined;
      hooks.setState(hooks.connectedText, 'ok');
      hooks.onBack();
    } else {
      banner?.remove();
      banner = undefined;
      // For good (a refused device): the page hears it even when no call was in flight.
      if (state.error) hooks.onClosed(state.error);
    }
  });
  return () => {
    clearInterval(ticker);
    unsubscribe();
  };
}
