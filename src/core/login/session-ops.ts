import { ApiStatusError, RateLimitedError } from '../../auth/api-request.js';
import { applySetCookies } from '../../auth/cookies.js';
import { readSession, removeSession, writeSession } from '../../auth/session-store.js';
import { isOpenmatesError } from '../errors.js';
import type { LoginDeps } from './login-deps.js';
import { LoginFailedError } from './login-error.js';
import { accountOf, pairApi } from './session-account.js';
import type { LoggedInAccount, LogoutResult } from './types.js';

/**
 * Who is logged in, as the server sees it (POST /v1/auth/session). Cookies the server rotates are
 * stored. A session past the auto-logout its approving device chose is deleted here.
 */
export async function whoami(deps: LoginDeps, signal?: AbortSignal): Promise<LoggedInAccount> {
  const session = await readSession(deps.sessionFile);
  if (!session) {
    throw new LoginFailedError('not-logged-in', `Not logged in: there is no session in ${deps.sessionFile}.`, 'Log in with `openmates login`.');
  }
  if (session.expiresAt && Date.parse(session.expiresAt) <= deps.now()) {
    await removeSession(deps.sessionFile);
    throw new LoginFailedError(
      'expired',
      `The session ended at ${session.expiresAt}: ${session.account.authorizedBy ?? 'the approving device'} chose an automatic logout, so the session file was deleted.`,
      'Log in again with `openmates login`.',
    );
  }
  const answer = await pairApi(session.apiBase, deps).session(session.sessionId, session.cookies, signal);
  const cookies = applySetCookies(session.cookies, answer.setCookies, deps.now());
  const username = answer.username ?? session.account.username;
  if (JSON.stringify(cookies) !== JSON.stringify(session.cookies) || username !== session.account.username) {
    await writeSession(deps.sessionFile, { ...session, cookies, account: { ...session.account, username } });
  }
  if (!answer.success) {
    throw new LoginFailedError(
      'refused',
      `The server at ${session.apiBase} no longer accepts this session${answer.message ? ` (${answer.message})` : ''}.`,
      'Log in again with `openmates login` (or remove the session with `openmates logout`).',
    );
  }
  return accountOf({ ...session, account: { ...session.account, username } }, deps.sessionFile);
}

/** How long logout waits for the server before deleting the session anyway. */
const LOGOUT_TIMEOUT_MS = 5000;

/**
 * Tells the server (POST /v1/auth/logout with the session's cookies; upstream's endpoint, the
 * reference names none) and deletes the session file, even when the server cannot be reached.
 */
export async function logout(deps: LoginDeps, signal?: AbortSignal): Promise<LogoutResult> {
  let session;
  try {
    session = await readSession(deps.sessionFile);
  } catch (error) {
    // A damaged file is still deleted: that is what logout is for.
    if (!isOpenmatesError(error) || error.kind !== 'invalid-config') throw error;
    await removeSession(deps.sessionFile);
    return { wasLoggedIn: true, sessionFile: deps.sessionFile, apiBase: null, serverNotified: false, serverDetail: 'the session file was damaged, so the server could not be told' };
  }
  if (!session) {
    await removeSession(deps.sessionFile); // temp files an interrupted login left
    return { wasLoggedIn: false, sessionFile: deps.sessionFile, apiBase: null, serverNotified: false, serverDetail: 'there was no session' };
  }
  let serverNotified = false;
  let serverDetail: string;
  try {
    const answer = await pairApi(session.apiBase, { ...deps, requestTimeoutMs: Math.min(deps.requestTimeoutMs, LOGOUT_TIMEOUT_MS) }).logout(session.cookies, signal);
    serverNotified = answer.success;
    serverDetail = answer.success ? 'the server ended the session' : `the server answered: ${answer.message ?? 'not logged out'}`;
  } catch (error) {
    if (isOpenmatesError(error) && error.kind === 'interrupted') throw error;
    serverDetail =
      error instanceof RateLimitedError
        ? 'the server is rate-limiting requests (HTTP 429)'
        : error instanceof ApiStatusError
          ? `the server answered ${error.status}`
          : isOpenmatesError(error)
            ? error.message.replace(/\.$/, '')
            : 'the server could not be reached';
  }
  await removeSession(deps.sessionFile);
  return { wasLoggedIn: true, sessionFile: deps.sessionFile, apiBase: session.apiBase, serverNotified, serverDetail };
}
