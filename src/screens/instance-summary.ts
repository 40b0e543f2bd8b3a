import type { DashboardService, DashboardSnapshot } from '../core/dashboard/types.js';
import { isOpenmatesError } from '../core/errors.js';
import { isServiceOk, type Tone } from './components/theme.js';

/** What the home screen knows about the instance at this moment. */
export type StatusView =
  | { state: 'checking' }
  | { state: 'ready'; snapshot: DashboardSnapshot }
  | { state: 'failed'; error: unknown };

export interface InstanceSummary {
  label: string;
  tone: Tone;
  busy: boolean;
}

/** The badge text: "Not installed", "Installed · v1.0.0 · 5/6 services healthy", ... */
export function summarizeInstance(view: StatusView): InstanceSummary {
  switch (view.state) {
    case 'checking':
      return { label: 'Checking…', tone: 'neutral', busy: true };
    case 'failed':
      return {
        label: isOpenmatesError(view.error) && view.error.kind === 'engine-unreachable' ? 'Docker is not reachable' : 'Status unknown',
        tone: 'error',
        busy: false,
      };
    case 'ready': {
      const { snapshot } = view;
      if (!snapshot.installed) return { label: 'Not installed', tone: 'neutral', busy: false };
      if (snapshot.engine.state === 'lost') return { label: ['Installed', snapshot.version, 'Docker is not reachable'].filter(Boolean).join(' · '), tone: 'error', busy: false };
      if (snapshot.engine.state === 'connecting') return { label: 'Connecting to Docker…', tone: 'neutral', busy: true };
      const parts = ['Installed'];
      if (snapshot.version) parts.push(snapshot.version);
      parts.push(servicesSummary(snapshot.services));
      const degraded = snapshot.healthy && snapshot.checks.some((check) => check.ok && check.degraded);
      if (degraded) parts.push('degraded');
      return { label: parts.join(' · '), tone: snapshot.healthy && !degraded ? 'ok' : 'warning', busy: false };
    }
  }
}

function servicesSummary(services: readonly DashboardService[]): string {
  const total = services.length;
  if (total === 0) return 'no services running';
  if (!services.some(isUp)) return 'stopped';
  const ok = services.filter((service) => isServiceOk(service.state)).length;
  return `${ok}/${total} services healthy`;
}

function isUp(service: DashboardService): boolean {
  return service.engineState === 'running' || service.engineState === 'restarting';
}

/** Stopped (and not a finished one-shot job), or never created: what `start` would bring up. */
function isDown(service: DashboardService): boolean {
  return !isUp(service) && service.state !== 'completed';
}

export type HomeAction =
  | 'install'
  | 'repair'
  | 'reset'
  | 'uninstall'
  | 'delete-kept'
  | 'settings'
  | 'start'
  | 'stop'
  | 'restart'
  | 'logs'
  | 'update'
  | 'backups'
  | 'login'
  | 'runs'
  | 'remote'
  | 'more'
  | 'back'
  | 'check-again'
  | 'quit';

export interface HomeMenuItem {
  value: HomeAction;
  label: string;
  disabled?: boolean;
  note?: string;
}

/**
 * The home menu for what we know: install when absent (or reinstall / delete what an uninstall
 * kept); when installed, start / restart / stop (each disabled when it has nothing to do, so the
 * cursor starts on the likely one), repair, reset and uninstall. The order never changes with the
 * stack's state: the dashboard updates live, and an entry must not move under the cursor.
 */
export function homeMenuItems(view: StatusView, first?: HomeMenuItem): HomeMenuItem[] {
  const quit: HomeMenuItem = { value: 'quit', label: 'Quit' };
  const settings: HomeMenuItem = { value: 'settings', label: 'Settings' };
  switch (view.state) {
    case 'checking':
      return [quit];
    case 'failed':
      return [{ value: 'check-again', label: 'Check again' }, settings, quit];
    case 'ready': {
      const { snapshot } = view;
      if (!snapshot.installed) {
        return snapshot.keptData
          ? [{ value: 'install', label: 'Reinstall with the kept data' }, { value: 'delete-kept', label: 'Delete the kept data' }, settings, quit]
          : [{ value: 'install', label: 'Install' }, settings, quit];
      }
      // An interrupted update is offered whether or not Docker answers yet: it is found on disk.
      if (snapshot.engine.state !== 'live') return [...(first ? [first] : []), { value: 'check-again', label: 'Check again' }, { value: 'repair', label: 'Reinstall / repair' }, settings, quit];
      const anyUp = snapshot.services.some(isUp);
      const anyDown = snapshot.services.some(isDown);
      const start: HomeMenuItem = anyDown ? { value: 'start', label: 'Start' } : { value: 'start', label: 'Start', disabled: true, note: 'everything runs' };
      const stop: HomeMenuItem = anyUp ? { value: 'stop', label: 'Stop' } : { value: 'stop', label: 'Stop', disabled: true, note: 'nothing runs' };
      const restart: HomeMenuItem = { value: 'restart', label: 'Restart' };
      return [...(first ? [first] : []), start, restart, stop, { value: 'logs', label: 'Logs' }, { value: 'backups', label: 'Backups' }, { value: 'more', label: 'More…' }, quit];
    }
  }
}

/**
 * What "More…" opens: the occasional and the destructive actions, kept off the main menu so the
 * dashboard keeps its rows. `remoteWaiting`: offer Remote access, with the number of requests waiting.
 */
export function moreMenuItems(remoteWaiting?: number): HomeMenuItem[] {
  const remote: HomeMenuItem[] = remoteWaiting === undefined ? [] : [{ value: 'remote', label: 'Remote access', ...(remoteWaiting > 0 ? { note: `${remoteWaiting} waiting` } : {}) }];
  return [
    { value: 'repair', label: 'Reinstall / repair' },
    { value: 'reset', label: 'Reset', note: 'delete the data' },
    { value: 'uninstall', label: 'Uninstall' },
    { value: 'login', label: 'Login' },
    { value: 'runs', label: 'Runs', note: 'openmates run' },
    ...remote,
    { value: 'settings', label: 'Settings' },
    { value: 'back', label: '← Back' },
  ];
}
