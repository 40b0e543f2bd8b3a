import { randomUUID } from 'node:crypto';
import { ApiStatusError, ApiUnavailableError } from '../../auth/api-request.js';
import { BundleDecryptError, decryptPairBundle } from '../../auth/bundle-crypto.js';
import { applySetCookies } from '../../auth/cookies.js';
import { parsePairBundle } from '../../auth/pair-bundle.js';
import { isPairToken, isPin, normalizePin, normalizeToken } from '../../auth/pair-token.js';
import { pairLink } from '../../auth/origins.js';
import { writeSession, type StoredSession } from '../../auth/session-store.js';
import { OpenmatesError } from '../errors.js';
import type { LoginDeps } from './login-deps.js';
import { LoginFailedError } from './login-error.js';
import { waitingOutRateLimits } from './rate-limit.js';
import { resolveLoginTarget } from './resolve-target.js';
import { accountOf, pairApi } from './session-account.js';
import type { LoginSink, LoginTarget, PairCode, PinOutcome } from './types.js';

/** After the code's expiry, polls go on this long: the server's clock decides, ours only bounds the wait. */
const EXPIRY_GRACE_MS = 5000;

export async function startPairLogin(target: LoginTarget, deps: LoginDeps, sink: LoginSink, signal?: AbortSignal): Promise<PairCode> {
  const { apiBase, appOrigin } = await resolveLoginTarget(target);
  const api = pairApi(apiBase, deps);
  const answer = await waitingOutRateLimits(() => api.initiate(deps.hostname(), signal), { reason: 'it hands out at most 10 login codes per hour to one address' }, deps, sink, signal);
  const token = normalizeToken(answer.token);
  if (!isPairToken(token)) {
    throw new OpenmatesError('operation-failed', `The OpenMates API at ${apiBase} handed out a login code that is not 6 characters of the pair alphabet.`, 'This CLI and the server may not speak the same version of the pair login.');
  }
  const expiresInSeconds = Math.round(answer.expiresIn);
  const code: PairCode = { apiBase, appOrigin, token, link: pairLink(appOrigin, token), expiresAt: deps.now() + expiresInSeconds * 1000, expiresInSeconds };
  sink({ type: 'pair-code', token, link: code.link, apiBase, appOrigin, expiresAt: new Date(code.expiresAt).toISOString(), expiresInSeconds });
  return code;
}

export async function waitForApproval(code: PairCode, deps: LoginDeps, sink: LoginSink, signal?: AbortSignal): Promise<{ device: string }> {
  const api = pairApi(code.apiBase, deps);
  let failures = 0;
  for (;;) {
    if (signal?.aborted) throw new OpenmatesError('interrupted', 'Stopped while waiting for approval.');
    if (deps.now() > code.expiresAt + EXPIRY_GRACE_MS) throw expired(code);
    try {
      const answer = await waitingOutRateLimits(() => api.poll(code.token, signal), { reason: 'it answers at most 60 status checks a minute', deadline: code.expiresAt }, deps, sink, signal);
      failures = 0;
      if (answer.status === 'ready') {
        const device = answer.authorizerDeviceName ?? 'another device';
        sink({ type: 'pair-approved', device });
        return { device };
      }
      if (answer.status === 'expired') throw expired(code);
    } catch (error) {
      if (!isTransient(error)) throw error;
      failures++;
      if (failures >= deps.maxPollFailures) throw error;
      sink({ type: 'retrying', message: error.message, attempt: failures, maxAttempts: deps.maxPollFailures });
    }
    await deps.sleep(deps.pollIntervalMs, signal);
  }
}

export async function submitPin(code: PairCode, rawPin: string, deps: LoginDeps, sink: LoginSink, signal?: AbortSignal): Promise<PinOutcome> {
  const pin = normalizePin(rawPin);
  if (!isPin(pin)) throw new OpenmatesError('usage', 'A PIN is 6 letters or digits.', 'Type the 6 characters the other device shows.');
  const api = pairApi(code.apiBase, deps);
  const answer = await waitingOutRateLimits(() => api.complete(code.token, pin, signal), { reason: 'it checks at most 30 PINs a minute' }, deps, sink, signal);
  if (!answer.success) {
    const wrong = /^invalid_pin:(\d+)_attempts_left$/.exec(answer.message);
    if (wrong) {
      const attemptsLeft = Number(wrong[1]);
      sink({ type: 'pin-rejected', attemptsLeft });
      return { status: 'wrong-pin', attemptsLeft };
    }
    if (answer.message === 'too_many_attempts') {
      throw new LoginFailedError('too-many-attempts', `The PIN was wrong too many times, so the server destroyed the login code ${code.token}.`, 'Start again for a new code (openmates login), and type the PIN the other device shows.');
    }
    if (answer.message === 'expired') {
      throw new LoginFailedError('expired', `The login code ${code.token} expired before the PIN arrived (an approval is only kept for a few minutes).`, 'Start again for a new code and type the PIN soon after approving.');
    }
    throw new LoginFailedError('refused', `The server refused the PIN: ${answer.message}.`, 'Start again for a new code.');
  }

  sink({ type: 'logging-in' });
  const bundle = await openBundle(code, answer.encryptedBundle, answer.iv, pin);
  const sessionId = randomUUID();
  let login;
  try {
    login = await waitingOutRateLimits(
      () => api.login({ hashed_email: bundle.hashed_email, lookup_hash: bundle.lookup_hash, session_id: sessionId, stay_logged_in: true, login_method: 'pair' }, signal),
      { reason: 'it limits how often one address logs in' },
      deps,
      sink,
      signal,
    );
  } catch (error) {
    if (error instanceof ApiStatusError && (error.status === 401 || error.status === 403)) throw refusedLogin(code, error.serverMessage);
    throw error;
  }
  if (!login.success) throw refusedLogin(code, login.message);

  const loggedInAt = new Date(deps.now());
  const session: StoredSession = {
    version: 1,
    apiBase: code.apiBase,
    appOrigin: code.appOrigin,
    sessionId,
    cookies: applySetCookies({}, login.setCookies, deps.now()),
    wsToken: login.wsToken ?? null,
    masterKey: bundle.master_key_exported,
    account: { username: login.username ?? null, authorizedBy: answer.authorizerDeviceName },
    loggedInAt: loggedInAt.toISOString(),
    expiresAt: answer.autoLogoutMinutes ? new Date(loggedInAt.getTime() + answer.autoLogoutMinutes * 60_000).toISOString() : null,
  };
  await writeSession(deps.sessionFile, session);
  return { status: 'logged-in', account: accountOf(session, deps.sessionFile) };
}

async function openBundle(code: PairCode, encrypted: string, iv: string, pin: string) {
  try {
    const plaintext = await decryptPairBundle(encrypted, iv, pin, code.token);
    try {
      return parsePairBundle(plaintext);
    } finally {
      plaintext.fill(0);
    }
  } catch (error) {
    const why = error instanceof BundleDecryptError || error instanceof Error ? error.message : 'unknown problem';
    throw new LoginFailedError('undecryptable', `The server accepted the PIN, but the login bundle it returned cannot be used: ${why}.`, 'The code is used up; start again for a new one. If it happens again, the approving device and this CLI disagree on the bundle format.');
  }
}

function expired(code: PairCode): LoginFailedError {
  return new LoginFailedError('expired', `The login code ${code.token} expired before it was approved.`, 'Start again for a fresh code.');
}

function refusedLogin(code: PairCode, message: string | undefined): LoginFailedError {
  return new LoginFailedError('refused', `The server at ${code.apiBase} refused the login${message ? `: ${message}` : ''}.`, 'The approval is used up; start again for a new code.');
}

/** Network trouble and server errors may pass; answers that say no (4xx, expired) do not. */
function isTransient(error: unknown): error is ApiUnavailableError {
  return error instanceof ApiUnavailableError;
}
