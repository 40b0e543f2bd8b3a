import type { HostFacts } from '../../remote/sdk/index.js';
import type { StackStatus } from './views/stack-status.js';

/**
 * The dashboard's last answers (host facts, the stack's status), kept in this origin's
 * localStorage so the page can show them, with their age, while it cannot reach the server.
 */
export interface Snapshot {
  savedAt: string;
  /** The agent's name (agent.info), for the header. */
  name?: string;
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

export function rememberSnapshot(part: { host: HostFacts } | { status: StackStatus } | { name: string }): void {
  try {
    const last = loadSnapshot();
    // The age is that of the dashboard's facts: the name alone does not make them newer.
    const savedAt = 'name' in part && last ? last.savedAt : new Date().toISOString();
    localStorage.setItem(KEY, JSON.stringify({ ...last, ...part, savedAt }));
  } catch {
    // Storage full or refused: the page works without the snapshot.
  }
}

export function forgetSnapshot(): void {
  localStorage.removeItem(KEY);
}
