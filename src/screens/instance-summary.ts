import { isOpenmatesError } from '../core/errors.js';
import type { InstanceStatus } from '../core/status/types.js';
import { isServiceOk, type Tone } from './components/theme.js';

/** What the home screen knows about the instance at this moment. */
export type StatusView =
  | { state: 'checking' }
  | { state: 'ready'; status: InstanceStatus }
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
      const { status } = view;
      if (!status.installed) return { label: 'Not installed', tone: 'neutral', busy: false };
      const parts = ['Installed'];
      if (status.version) parts.push(status.version);
      parts.push(servicesSummary(status));
      return { label: parts.join(' · '), tone: status.healthy ? 'ok' : 'warning', busy: false };
    }
  }
}

function servicesSummary(status: InstanceStatus): string {
  const total = status.services.length;
  if (total === 0) return 'no services running';
  const ok = status.services.filter((service) => isServiceOk(service.state)).length;
  return `${ok}/${total} services healthy`;
}

export type HomeAction = 'install' | 'repair' | 'logs' | 'uninstall' | 'check-again' | 'quit';

export interface HomeMenuItem {
  value: HomeAction;
  label: string;
  disabled?: boolean;
  note?: string;
}

/** The home menu for what we know: install when absent, repair (and soon uninstall) when present. */
export function homeMenuItems(view: StatusView): HomeMenuItem[] {
  const quit: HomeMenuItem = { value: 'quit', label: 'Quit' };
  switch (view.state) {
    case 'checking':
      return [quit];
    case 'failed':
      return [{ value: 'check-again', label: 'Check again' }, quit];
    case 'ready':
      return view.status.installed
        ? [
            { value: 'repair', label: 'Reinstall / repair' },
            { value: 'logs', label: 'Logs' },
            { value: 'uninstall', label: 'Uninstall', disabled: true, note: 'coming soon' },
            quit,
          ]
        : [{ value: 'install', label: 'Install' }, quit];
  }
}
