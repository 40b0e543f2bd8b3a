import { phaseText } from '../core/update/recovery.js';
import type { InstanceStatus } from '../core/status/types.js';
import type { UpdateCheck } from '../update/check-updates.js';
import type { Tone } from './components/theme.js';

/** The start-up update check as the app knows it: still running, or its answer. */
export type UpdateCheckView = { state: 'checking' } | { state: 'done'; check: UpdateCheck };

export interface NoticeLine {
  tone: Tone | 'dim';
  text: string;
}

/**
 * What the home screen says about updates, most important first: an interrupted update (found
 * on disk, whatever the check says), a newer release, a newer CLI, then the check's quiet notes.
 */
export function updateNoticeLines(status: Pick<InstanceStatus, 'installed' | 'interruptedUpdate' | 'version'> | undefined, view: UpdateCheckView | undefined): NoticeLine[] {
  const lines: NoticeLine[] = [];
  const pending = status?.interruptedUpdate;
  if (pending) {
    lines.push(
      pending.running
        ? { tone: 'accent', text: `An update from ${pending.from} to ${pending.to} is running right now (another openmates).` }
        : { tone: 'warning', text: `An update from ${pending.from} to ${pending.to} was interrupted ${phaseText(pending)}. Press u to finish it or roll it back.` },
    );
  }
  if (!view) return lines;
  if (view.state === 'checking') {
    if (status?.installed && !pending) lines.push({ tone: 'dim', text: 'Checking for updates…' });
    return lines;
  }
  const { server, cli, notes } = view.check;
  if (!pending && status?.installed && server?.available && server.latest && server.installed === status.version) {
    lines.push({ tone: 'accent', text: `Update available: ${server.installed} -> ${server.latest}. Press u to update.` });
  }
  if (cli?.available) lines.push({ tone: 'accent', text: `openmates ${cli.latest} is out (this is ${cli.current}): ${cli.upgradeCommand}` });
  for (const note of notes) lines.push({ tone: 'dim', text: note });
  return lines;
}

/** True when `u` leads somewhere: a newer release, or an interrupted update to resolve. */
export function updateKeyActive(status: Pick<InstanceStatus, 'installed' | 'interruptedUpdate' | 'version'> | undefined, view: UpdateCheckView | undefined): boolean {
  if (!status?.installed) return false;
  if (status.interruptedUpdate) return !status.interruptedUpdate.running;
  return view?.state === 'done' && view.check.server?.available === true;
}
