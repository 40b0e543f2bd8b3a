import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginOperations } from '../../../src/core/login/create-login-operations.js';
import { defaultLoginDeps, type LoginDeps } from '../../../src/core/login/login-deps.js';
import { ignoreLoginEvents } from '../../../src/core/login/types.js';
import { isOpenmatesError } from '../../../src/core/errors.js';
import { startPairServer, type PairServer } from '../../fixtures/pair-server/server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function loggedIn(deps: Partial<LoginDeps> = {}, approve: { autoLogoutMinutes?: number } = {}) {
  const server: PairServer = await startPairServer();
  cleanups.push(() => server.close().catch(() => undefined));
  const home = mkdtempSync(join(tmpdir(), 'omt-login-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const sessionFile = join(home, 'openmates', 'session.json');
  const ops = createLoginOperations(defaultLoginDeps({ sessionFile, pollIntervalMs: 20, ...deps }));
  const code = await ops.loginStart({ installDir: home, apiUrl: server.url }, ignoreLoginEvents);
  const { pin } = await server.approve(code.token, approve);
  await ops.loginWaitForApproval(code, ignoreLoginEvents);
  await ops.loginSubmitPin(code, pin, ignoreLoginEvents);
  return { server, ops, sessionFile, home };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isOpenmatesError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('whoami and logout', () => {
  it('whoami asks the server with the stored cookies and session id', async () => {
    const { server, ops, sessionFile } = await loggedIn();
    expect(await ops.whoami()).toMatchObject({ username: 'ada', authorizedBy: 'iPhone', apiBase: server.url, sessionFile, expiresAt: null });
    const asked = server.requests.at(-1)!;
    expect(asked.path).toBe('/v1/auth/session');
    const stored = JSON.parse(readFileSync(sessionFile, 'utf8'));
    expect(JSON.parse(asked.body)).toEqual({ session_id: stored.sessionId });
    expect(asked.cookie).toContain(`auth_refresh_token=${stored.cookies.auth_refresh_token}`);
  });

  it('whoami says so when the server no longer accepts the session, or when there is none', async () => {
    const { server, ops, sessionFile } = await loggedIn();
    server.sessions.clear();
    expect(await failure(ops.whoami())).toMatchObject({ kind: 'login-failed', reason: 'refused', message: `The server at ${server.url} no longer accepts this session (Not logged in).` });
    rmSync(sessionFile);
    expect(await failure(ops.whoami())).toMatchObject({ reason: 'not-logged-in', message: `Not logged in: there is no session in ${sessionFile}.` });
  });

  it('drops a session past the auto-logout the approving device chose', async () => {
    let now = Date.now();
    const { ops, sessionFile } = await loggedIn({ now: () => now }, { autoLogoutMinutes: 30 });
    const who = await ops.whoami();
    expect(Date.parse(who.expiresAt!)).toBe(Date.parse(JSON.parse(readFileSync(sessionFile, 'utf8')).loggedInAt) + 30 * 60_000);
    now += 31 * 60_000;
    expect(await failure(ops.whoami())).toMatchObject({ reason: 'expired' });
    expect(existsSync(sessionFile)).toBe(false);
  });

  it('logout tells the server and deletes the file', async () => {
    const { server, ops, sessionFile } = await loggedIn();
    const stored = JSON.parse(readFileSync(sessionFile, 'utf8'));
    expect(await ops.logout()).toEqual({ wasLoggedIn: true, sessionFile, apiBase: server.url, serverNotified: true, serverDetail: 'the server ended the session' });
    expect(existsSync(sessionFile)).toBe(false);
    expect(server.requests.at(-1)).toMatchObject({ path: '/v1/auth/logout' });
    expect(server.requests.at(-1)!.cookie).toContain(stored.cookies.auth_refresh_token);
    expect(server.sessions.has(stored.cookies.auth_refresh_token)).toBe(false);
    expect(await ops.logout()).toMatchObject({ wasLoggedIn: false, serverDetail: 'there was no session' });
  });

  it('logout deletes the file even when the server is gone, and says it could not tell it', async () => {
    const { server, ops, sessionFile } = await loggedIn();
    await server.close();
    const result = await ops.logout();
    expect(result).toMatchObject({ wasLoggedIn: true, serverNotified: false });
    expect(result.serverDetail).toContain('connection refused');
    expect(existsSync(sessionFile)).toBe(false);
  });

  it('logout deletes a damaged session file too', async () => {
    const { ops, sessionFile } = await loggedIn();
    writeFileSync(sessionFile, 'garbage');
    expect(await ops.logout()).toMatchObject({ wasLoggedIn: true, serverNotified: false });
    expect(existsSync(sessionFile)).toBe(false);
  });
});
