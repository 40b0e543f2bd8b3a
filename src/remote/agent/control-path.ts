import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir, userInfo } from 'node:os';

/**
 * The control socket of the agent that keeps its state in `stateDir`: in $XDG_RUNTIME_DIR, else
 * a 0700 folder under /tmp. Named after the state dir, so two agents of one user do not meet.
 */
export function controlSocketPath(stateDir: string, env: NodeJS.ProcessEnv = process.env): { dir: string; path: string } {
  const dir = env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'openmates') : join(tmpdir(), `openmates-${userInfo().uid}`);
  const tag = createHash('sha256').update(stateDir).digest('hex').slice(0, 12);
  return { dir, path: join(dir, `remote-${tag}.sock`) };
}
