import { chmod, mkdir, open, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

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

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is masked by the umask and leaves an existing dir as it was.
  await chmod(dir, 0o700);
}

/** Writes `text` to `path` as a 0600 file through a temp file and a rename: readers see the old or the new file. */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}
