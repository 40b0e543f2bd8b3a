import { PairApi } from '../../auth/pair-api.js';
import type { StoredSession } from '../../auth/session-store.js';
import type { LoginDeps } from './login-deps.js';
import type { LoggedInAccount } from './types.js';

export function pairApi(apiBase: string, deps: LoginDeps): PairApi {
  return new PairApi(apiBase, { send: deps.send, timeoutMs: deps.requestTimeoutMs, userAgent: deps.userAgent });
}

/** What may be shown of a stored session: everything but its secrets. */
export function accountOf(session: StoredSession, sessionFile: string): LoggedInAccount {
  return {
    apiBase: session.apiBase,
    appOrigin: session.appOrigin,
    username: session.account.username,
    authorizedBy: session.account.authorizedBy,
    loggedInAt: session.loggedInAt,
    expiresAt: session.expiresAt,
    sessionFile,
  };
}
