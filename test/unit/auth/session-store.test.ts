import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSession, removeSession, sessionFilePath, writeSession, type StoredSession } from '../../../src/auth/session-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'omt-session-'));
  dirs.push(dir);
  return dir;
}

const session: StoredSession = {
  version: 1,
  apiBase: 'http://localhost:8000',
  appOrigin: 'http://localhost:5173',
  sessionId: '5f0c7e0e-0000-4000-8000-000000000000',
  cookies: { auth_refresh_token: 'r' },
  wsToken: 'w',
  masterKey: 'k',
  account: { username: 'ada', authorizedBy: 'iPhone' },
  loggedInAt: '2030-01-01T00:00:00.000Z',
  expiresAt: null,
};

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the session file', () => {
  it('lives in XDG_STATE_HOME/openmates (else ~/.local/state/openmates)', () => {
    expect(sessionFilePath({ XDG_STATE_HOME: '/x/state' })).toBe('/x/state/openmates/session.json');
    expect(sessionFilePath({})).toMatch(/\/\.local\/state\/openmates\/session\.json$/);
    expect(sessionFilePath({ XDG_STATE_HOME: 'relative' })).toMatch(/\/\.local\/state\//); // the spec ignores relative paths
  });

  it('is written 0600 in a 0700 directory, whole, with no temp file left', async () => {
    const path = join(tempHome(), 'state', 'openmates', 'session.json');
    await writeSession(path, session);
    expect(mode(path)).toBe(0o600);
    expect(mode(join(path, '..'))).toBe(0o700);
    expect(readdirSync(join(path, '..'))).toEqual(['session.json']);
    expect(await readSession(path)).toEqual(session);
  });

  it('narrows a directory or file that others can read, and cleans temp files an interrupted write left', async () => {
    const dir = join(tempHome(), 'openmates');
    const path = join(dir, 'session.json');
    await writeSession(path, session);
    chmodSync(dir, 0o755);
    chmodSync(path, 0o644);
    writeFileSync(join(dir, '.session.json.abc.tmp'), 'half');
    await readSession(path);
    expect(mode(path)).toBe(0o600);
    await writeSession(path, { ...session, wsToken: 'w2' });
    expect(mode(dir)).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['session.json']);
  });

  it('is undefined when missing, an error naming it when damaged, and gone after remove', async () => {
    const path = join(tempHome(), 'session.json');
    expect(await readSession(path)).toBeUndefined();
    writeFileSync(path, '{"version":1', { mode: 0o600 });
    await expect(readSession(path)).rejects.toThrow(`The session file ${path} is damaged.`);
    expect(await removeSession(path)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(await removeSession(path)).toBe(false);
  });
});
