/**
 * Named command sessions: the working folder and the exported environment carry over from one
 * command to the next, as in a terminal (`cd` and `export` persist). Commands of one session take
 * turns; different sessions run side by side.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SessionState {
  cwd: string;
  env: Record<string, string>;
}

export interface ExecSessions {
  get(name: string): SessionState | undefined;
  set(name: string, state: SessionState): void;
  delete(name: string): boolean;
  names(): string[];
  /** Runs `task` after the session's earlier commands have finished. */
  inTurn<T>(name: string, task: () => Promise<T>): Promise<T>;
  /** A private (0700) folder for the state files the shell writes after each command. */
  stateFolder(): Promise<string>;
  /** Forgets every session and removes the state folder. */
  close(): Promise<void>;
}

export function createExecSessions(): ExecSessions {
  const states = new Map<string, SessionState>();
  const turns = new Map<string, Promise<unknown>>();
  let folder: Promise<string> | undefined;
  return {
    get: (name) => states.get(name),
    set: (name, state) => void states.set(name, state),
    delete: (name) => states.delete(name),
    names: () => [...states.keys()],
    async inTurn(name, task) {
      const before = turns.get(name) ?? Promise.resolve();
      const mine = before.then(task, task);
      const settled = mine.catch(() => undefined);
      turns.set(name, settled);
      try {
        return await mine;
      } finally {
        if (turns.get(name) === settled) turns.delete(name);
      }
    },
    stateFolder: () => (folder ??= mkdtemp(join(tmpdir(), 'openmates-exec-'))),
    async close() {
      states.clear();
      if (folder) await rm(await folder, { recursive: true, force: true });
      folder = undefined;
    },
  };
}
