import { connect, type RemoteServer } from '../../remote/sdk/index.js';
import type { AppContext } from './app-context.js';
import { followConnection } from './connection-banner.js';
import { errorText, h, show } from './dom.js';
import { pageOrigin, takeLinkFragment } from './link-fragment.js';
import { forgetDevice, loadDevice, saveDevice, type SavedDevice } from './saved-device.js';
import { forgetSnapshot, loadSnapshot, rememberSnapshot } from './snapshot.js';
import { offlineView } from './views/offline-view.js';
import { activityView } from './views/activity-view.js';
import { approvalsView } from './views/approvals-view.js';
import { filesView } from './views/files-view.js';
import { hostView } from './views/host-view.js';
import { logsView } from './views/logs-view.js';
import { servicesView } from './views/services-view.js';
import { terminalView } from './views/terminal-view.js';
import { runsView } from './views/runs-view.js';

const byId = (id: string) => document.getElementById(id) as HTMLElement;
const main = () => byId('main');
const tabs = () => byId('tabs');

function setState(text: string, tone: 'info' | 'ok' | 'wait' | 'error' = 'info'): void {
  const state = byId('state');
  state.textContent = text;
  state.className = `state ${tone}`;
}

function noDevice(why?: string) {
  tabs().hidden = true;
  setState('Not connected', 'error');
  show(
    main(),
    h(
      'section',
      { class: 'card', id: 'no-device' },
      h('h2', {}, 'Open your device link'),
      why ? h('p', { class: 'error', id: 'boot-error' }, why) : null,
      h('p', {}, 'On the server, run `openmates remote-access devices add phone --role approver` and scan its QR code (or open its link) on this device.'),
    ),
  );
}

/** The views, once connected: Server (host + services), Files, Logs, Terminal, Runs, and Activity and Approvals for approver devices. */
function dashboard(server: RemoteServer, device: SavedDevice) {
  const notice = h('p', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  let lostOnce = false;
  const context: AppContext = {
    server,
    notify(text, tone = 'info') {
      notice.hidden = false;
      notice.textContent = text;
      notice.className = `notice ${tone}`;
    },
    lost(error) {
      if (lostOnce) return;
      lostOnce = true;
      unfollow();
      approvals?.stop();
      logs.stop();
      terminal.stop();
      runs.stop();
      clearInterval(timer);
      setState('Disconnected', 'error');
      context.notify(`The connection is gone: ${errorText(error)}`, 'error');
      main().prepend(h('button', { class: 'button', type: 'button', id: 'reconnect', onclick: () => void start(device) }, 'Connect again'));
    },
  };
  const host = hostView(context);
  const services = servicesView(context);
  const files = filesView(context);
  const logs = logsView(context);
  const terminal = terminalView(context);
  const runs = runsView(context);
  const approver = server.device.role === 'approver';
  const activity = approver ? activityView(context) : undefined;
  const approvalsTab = h('button', { class: 'tab', type: 'button', id: 'tab-approvals', 'data-view': 'approvals' }, 'Approvals');
  const approvals = approver ? approvalsView(context, (count) => (approvalsTab.textContent = count > 0 ? `Approvals (${count})` : 'Approvals')) : undefined;
  const overview = h('div', { id: 'view-server' }, host.root, services.root);
  const views: Record<string, { root: HTMLElement; refresh?: () => Promise<void> }> = {
    server: { root: overview, refresh: async () => void (await Promise.all([host.refresh(), services.refresh()])) },
    files: { root: files.root, refresh: files.refresh },
    logs: { root: logs.root, refresh: logs.refresh },
    terminal: { root: terminal.root, refresh: terminal.refresh },
    runs: { root: runs.root, refresh: runs.refresh },
    ...(activity ? { activity: { root: activity.root, refresh: activity.refresh } } : {}),
    ...(approvals ? { approvals: { root: approvals.root } } : {}),
  };
  const buttons = [
    h('button', { class: 'tab', type: 'button', id: 'tab-server', 'data-view': 'server' }, 'Server'),
    h('button', { class: 'tab', type: 'button', id: 'tab-files', 'data-view': 'files' }, 'Files'),
    h('button', { class: 'tab', type: 'button', id: 'tab-logs', 'data-view': 'logs' }, 'Logs'),
    h('button', { class: 'tab', type: 'button', id: 'tab-terminal', 'data-view': 'terminal' }, 'Terminal'),
    h('button', { class: 'tab', type: 'button', id: 'tab-runs', 'data-view': 'runs' }, 'Runs'),
    ...(approver ? [h('button', { class: 'tab', type: 'button', id: 'tab-activity', 'data-view': 'activity' }, 'Activity'), approvalsTab] : []),
  ];
  let current = 'server';
  const select = (name: string) => {
    current = name;
    for (const button of buttons) button.setAttribute('aria-current', String(button.dataset.view === name));
    for (const [key, view] of Object.entries(views)) view.root.hidden = key !== name;
    // Following the logs costs the server work: only while the Logs view shows.
    if (name !== 'logs') logs.stop();
    if (name !== 'runs') runs.stop();
    void views[name]?.refresh?.();
  };
  for (const button of buttons) button.addEventListener('click', () => select(button.dataset.view ?? 'server'));
  tabs().hidden = false;
  show(tabs(), ...buttons);
  show(main(), notice, ...Object.values(views).map((view) => view.root));
  select('server');
  // The host facts and services stay fresh while the page is open (and connected: while reconnecting, the page shows what it had).
  const timer = setInterval(() => {
    if (!overview.hidden && document.visibilityState === 'visible' && server.connection.state.state === 'connected') void views.server?.refresh?.();
  }, 15_000);
  const unfollow = followConnection(server, {
    setState,
    connectedText: connectedText(server),
    place: (banner) => notice.after(banner),
    onBack: () => void views[current]?.refresh?.(),
    onClosed: (error) => context.lost(error),
  });
}

function showServerName(name: string) {
  byId('header').querySelector('.server-name')!.textContent = name;
  document.title = `${name} · OpenMates server`;
}

async function start(device: SavedDevice) {
  setState('Connecting…', 'wait');
  tabs().hidden = true;
  // While connecting (and if it fails): the last snapshot of the dashboard, with its age.
  const snapshot = loadSnapshot();
  if (snapshot?.name) showServerName(snapshot.name);
  const offline = snapshot ? offlineView(snapshot) : undefined;
  show(main(), h('p', { class: 'quiet' }, 'Connecting…'), offline);
  let server: RemoteServer;
  try {
    // reconnect: a dropped connection (a relay restarting, a phone changing networks) comes back by itself.
    server = await connect({ url: pageOrigin(), ...device }, { handshakeTimeoutMs: 15_000, reconnect: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'device-refused') {
      await forgetDevice();
      forgetSnapshot();
      return noDevice(`This device was refused: ${errorText(error)}`);
    }
    setState('Not connected', 'error');
    return show(main(), h('p', { class: 'error', id: 'boot-error' }, errorText(error)), h('button', { class: 'button', type: 'button', id: 'reconnect', onclick: () => void start(device) }, 'Try again'), offline);
  }
  setState(connectedText(server), 'ok');
  // The agent's own name (`remote-access start --name`); its address only when it cannot say.
  const name = await server.info().then(
    (info) => info.name,
    () => undefined,
  );
  if (name) rememberSnapshot({ name });
  showServerName(name ?? location.host);
  dashboard(server, device);
}

function connectedText(server: RemoteServer): string {
  return `Connected as ${server.device.name} (${server.device.role})`;
}

/** Keeps the page's files for a reload while the server is away (service-worker.ts); only where browsers allow it (https, 127.0.0.1). */
function keepPageOffline() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('sw.js').catch(() => undefined);
}

async function boot() {
  keepPageOffline();
  let device: SavedDevice | undefined;
  try {
    device = takeLinkFragment();
    if (device) await saveDevice(device);
  } catch (error) {
    return noDevice(errorText(error));
  }
  device ??= await loadDevice();
  if (!device) return noDevice();
  await start(device);
}

void boot();
