import type { HostFacts } from '../../remote/sdk/index.js';
import type { StackStatus } from './views/stack-status.js';

/**
 * The dashboard's last answers (host facts, the stack's status), kept in this origin's
 * localStorage so the page can show them, with their age, while it cannot reach the server.
 */
export interface Snapshot {
  savedAt: string;
  host?: HostFacts;
  status?: StackStatus;
}

const KEY = 'openmates.snapshot';

export function loadSnapshot(): Snapshot | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Snapshot | null;
    return value && typeof value.savedAt === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function rememberSnapshot(part: { host: HostFacts } | { status: StackStatus }): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...loadSnapshot(), ...part, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or refused: the page works without the snapshot.
  }
}

export function forgetSnapshot(): void {
  localStorage.removeItem(KEY);
}
