import type { UpdateInProgress } from '../status/types.js';
import { readFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OpenmatesError, messageOf } from '../errors.js';
import type { InstallLayout } from '../install-dir.js';
import type { InterruptedUpdate, UpdateState } from './types.js';

export const UPDATE_STATE_FILE = 'update-state.json';

export function updateStatePath(layout: InstallLayout): string {
  return join(layout.root, UPDATE_STATE_FILE);
}

/** The update in progress or interrupted in this install, if any. A corrupt file is an error naming it. */
export async function readUpdateState(layout: InstallLayout): Promise<InterruptedUpdate | undefined> {
  const path = updateStatePath(layout);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OpenmatesError('operation-failed', `Cannot read ${path}: ${messageOf(error)}.`);
  }
  let parsed: UpdateState;
  try {
    parsed = (await import('./update-state-schema.js')).stateSchema.parse(JSON.parse(text)) as UpdateState;
  } catch {
    throw new OpenmatesError(
      'invalid-config',
      `The update state file ${path} is not valid.`,
      `An update was interrupted but its record is unreadable. Check that the instance runs the version in .env (openmates server status), then delete ${path}.`,
    );
  }
  return { ...parsed, running: parsed.pid !== process.pid && isOpenmatesProcess(parsed.pid) };
}

/**
 * Writes the state so that a crash leaves the old or the new record, never half of one: a temp
 * file is written and fsynced, renamed over the old one, and the directory fsynced.
 */
export async function writeUpdateState(layout: InstallLayout, state: UpdateState): Promise<void> {
  const path = updateStatePath(layout);
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

export async function clearUpdateState(layout: InstallLayout): Promise<void> {
  try {
    await unlink(updateStatePath(layout));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await syncDirectory(layout.root);
}

async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic there.
  }
}

/** Whether `pid` is a live openmates process (a reused pid of another program does not count). */
export function isOpenmatesProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /openmates/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): a live pid has to count
  }
}

/** A state record for a step, keeping what earlier steps recorded. */
export function nextState(previous: UpdateState | undefined, patch: Partial<UpdateState> & Pick<UpdateState, 'phase'>, base?: Pick<UpdateState, 'from' | 'to'>): UpdateState {
  const now = new Date().toISOString();
  const from = patch.from ?? previous?.from ?? base?.from;
  const to = patch.to ?? previous?.to ?? base?.to;
  if (!from || !to) throw new Error('an update state needs from and to');
  return {
    format: 1,
    startedAt: previous?.startedAt ?? now,
    newVersionStarted: false,
    ...previous,
    ...patch,
    from,
    to,
    updatedAt: now,
    pid: process.pid,
  };
}

/** What status and the dashboard say about an update left unfinished (or running right now). */
export async function readUpdateInProgress(layout: InstallLayout): Promise<UpdateInProgress | undefined> {
  const update = await readUpdateState(layout);
  return update ? { from: update.from, to: update.to, phase: update.phase, startedAt: update.startedAt, running: update.running } : undefined;
}
