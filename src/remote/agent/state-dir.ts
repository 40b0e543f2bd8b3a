import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateFolder } from '../../core/files/private-folder.js';
import { writeSecretFile } from '../../core/install/env-file.js';

/** Where the agent keeps its key pair, devices and audit log: $XDG_STATE_HOME/openmates/remote (0700). */
export function remoteStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'openmates', 'remote');
}

export const STATE_FILES = {
  identity: 'identity.json',
  devices: 'devices.json',
  audit: 'audit.jsonl',
  auditHead: 'audit.head.json',
  agent: 'agent.json',
} as const;

/** The undo journal of the file changes made through the agent (src/core/files/undo-journal.ts). */
export function undoJournalDir(stateDir: string): string {
  return join(stateDir, 'undo');
}

/** The terminal sessions' asciicast recordings (src/remote/agent/recordings/). */
export function recordingsDir(stateDir: string): string {
  return join(stateDir, 'recordings');
}

/** A 0700 folder (mkdir's mode is masked by the umask and leaves an existing dir as it was, so it is chmod-ed too). */
export const ensurePrivateDir = ensurePrivateFolder;

/** Writes `text` to `path` as a 0600 file through a temp file and a rename: readers see the old or the new file. */
export const writePrivateFile = writeSecretFile;
