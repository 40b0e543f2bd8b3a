import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLoginOperations } from '../../../src/core/login/create-login-operations.js';
import { defaultLoginDeps, type LoginDeps } from '../../../src/core/login/login-deps.js';
import { isLoginFailure } from '../../../src/core/login/login-error.js';
import type { LoginEvent, LoginOperations } from '../../../src/core/login/types.js';
import { isOpenmatesError, type OpenmatesError } from '../../../src/core/errors.js';
import { startPairServer, TOKEN_ALPHABET, type PairServer, type PairServerOptions } from '../../fixtures/pair-server/server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  server: PairServer;
  ops: LoginOperations;
  events: LoginEvent[];
  sink: (event: LoginEvent) => void;
  sessionFile: string;
  home: string;
  target: { installDir: string; apiUrl: string };
}

async function harness(serverOptions: PairServerOptions = {}, deps: Partial<LoginDeps> = {}): Promise<Harness> {
  const server = await startPairServer(serverOptions);
  cleanups.push(() => server.close());
  const home = mkdtempSync(join(tmpdir(), 'omt-login-'));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const sessionFile = join(home, 'state', 'openmates', 'session.json');
  const ops = createLoginOperations(defaultLoginDeps({ sessionFile, pollIntervalMs: 40, hostname: () => 'build-box', ...deps }));
  const events: LoginEvent[] = [];
  return { server, ops, events, sink: (event) => events.push(event), sessionFile, home, target: { installDir: join(home, 'none'), apiUrl: server.url } };
}

async function caught(promise: Promise<unknown>): Promise<OpenmatesError> {
  try {
    await promise;
  } catch (error) {
    if (isOpenmatesError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Every secret the stand-in and the session hold; none may show in events or errors. */
function secretsOf(h: Harness, extra: string[] = []): string[] {
  const session = (() => {
    try {
      return JSON.parse(readFileSync(h.sessionFile, 'utf8')) as { sessionId: string; wsToken: string; cookies: Record<string, string> };
    } catch {
      return undefined;
    }
  })();
  return [
    h.server.account.masterKey,
    h.server.account.hashedEmail,
    h.server.account.lookupHash,
    h.server.account.userEmailSalt,
    ...(session ? [session.sessionId, session.wsToken, ...Object.values(session.cookies)] : []),
    ...extra,
  ];
}

describe('pair login against the stand-in server', () => {
  it('asks for a code, waits for approval, takes the PIN, logs in and stores the session 0600 in a 0700 dir', async () => {
    const h = await harness();
    const code = await h.ops.loginStart(h.target, h.sink);
    expect(code.token).toMatch(new RegExp(`^[${TOKEN_ALPHABET}]{6}$`));
    expect(code.link).toBe(`http://localhost:5173/#pair=${code.token}`);
    expect(code.expiresInSeconds).toBe(300);
    expect(JSON.parse(h.server.requests[0]!.body)).toEqual({ device_hint: 'build-box' });

    const waiting = h.ops.loginWaitForApproval(code, h.sink);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const { pin } = await h.server.approve(code.token, { deviceName: 'Pixel 8' });
    expect(await waiting).toEqual({ device: 'Pixel 8' });

    const outcome = await h.ops.loginSubmitPin(code, pin.toLowerCase(), h.sink);
    expect(outcome).toMatchObject({ status: 'logged-in', account: { username: 'ada', authorizedBy: 'Pixel 8', apiBase: h.server.url, sessionFile: h.sessionFile } });

    const stored = JSON.parse(readFileSync(h.sessionFile, 'utf8'));
    expect(stored).toMatchObject({ masterKey: h.server.account.masterKey, apiBase: h.server.url, account: { username: 'ada' } });
    expect(Object.keys(stored.cookies).sort()).toEqual(['auth_access_token', 'auth_refresh_token']);
    expect(stored.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(statSync(h.sessionFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(h.sessionFile, '..')).mode & 0o777).toBe(0o700);

    const login = h.server.requests.find((r) => r.path === '/v1/auth/login')!;
    expect(JSON.parse(login.body)).toEqual({ hashed_email: h.server.account.hashedEmail, lookup_hash: h.server.account.lookupHash, session_id: stored.sessionId, stay_logged_in: true, login_method: 'pair' });
    // The PIN went to /complete only, the token is single-use now.
    expect(h.server.requests.filter((r) => r.body.includes(pin)).map((r) => r.path)).toEqual([`/v1/auth/pair/authorize/${code.token}`, `/v1/auth/pair/complete/${code.token}`]);
    expect(await caught(h.ops.loginSubmitPin(code, pin, h.sink))).toMatchObject({ kind: 'login-failed', reason: 'expired' });

    expect(h.events.map((e) => e.type)).toEqual(['pair-code', 'pair-approved', 'logging-in']);
    const said = JSON.stringify(h.events);
    for (const secret of secretsOf(h, [pin])) expect(said).not.toContain(secret);

    expect(await h.ops.whoami()).toMatchObject({ username: 'ada', apiBase: h.server.url });
  });

  it('counts wrong PINs down, then accepts the right one', async () => {
    const h = await harness();
    const code = await h.ops.loginStart(h.target, h.sink);
    const { pin } = await h.server.approve(code.token, { pin: 'K7P2QZ' });
    await h.ops.loginWaitForApproval(code, h.sink);
    expect(await h.ops.loginSubmitPin(code, '000000', h.sink)).toEqual({ status: 'wrong-pin', attemptsLeft: 4 });
    expect(await h.ops.loginSubmitPin(code, '111111', h.sink)).toEqual({ status: 'wrong-pin', attemptsLeft: 3 });
    expect((await h.ops.loginSubmitPin(code, 'k7p2qz', h.sink)).status).toBe('logged-in');
    expect(pin).toBe('K7P2QZ');
    expect(h.events.filter((e) => e.type === 'pin-rejected')).toEqual([
      { type: 'pin-rejected', attemptsLeft: 4 },
      { type: 'pin-rejected', attemptsLeft: 3 },
    ]);
  });

  it('fails for good after five wrong PINs: the server destroys the code', async () => {
    const h = await harness();
    const code = await h.ops.loginStart(h.target, h.sink);
    await h.server.approve(code.token, { pin: '123456' });
    await h.ops.loginWaitForApproval(code, h.sink);
    for (const left of [4, 3, 2, 1]) expect(await h.ops.loginSubmitPin(code, '654321', h.sink)).toEqual({ status: 'wrong-pin', attemptsLeft: left });
    const error = await caught(h.ops.loginSubmitPin(code, '654321', h.sink));
    expect(error).toMatchObject({ kind: 'login-failed', reason: 'too-many-attempts' });
    expect(error.message).toContain(`destroyed the login code ${code.token}`);
    // Even the right PIN is useless now.
    expect(await caught(h.ops.loginSubmitPin(code, '123456', h.sink))).toMatchObject({ reason: 'expired' });
    expect(() => statSync(h.sessionFile)).toThrow();
  });

  it('reports an expired code while waiting for approval', async () => {
    const h = await harness({ tokenTtlSeconds: 1 });
    const code = await h.ops.loginStart(h.target, h.sink);
    const error = await caught(h.ops.loginWaitForApproval(code, h.sink));
    expect(isLoginFailure(error, 'expired')).toBe(true);
    expect(error.message).toBe(`The login code ${code.token} expired before it was approved.`);
  });

  it('reports an approval that ran out before the PIN came', async () => {
    const h = await harness({ bundleTtlSeconds: 0.2 });
    const code = await h.ops.loginStart(h.target, h.sink);
    const { pin } = await h.server.approve(code.token);
    await h.ops.loginWaitForApproval(code, h.sink);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await caught(h.ops.loginSubmitPin(code, pin, h.sink))).toMatchObject({ reason: 'expired' });
  });

  it('says clearly when the server fails (500) or cannot be reached, and tolerates a passing hiccup while polling', async () => {
    const h = await harness();
    h.server.fail(/\/pair\/initiate$/, 500, 1);
    const failed = await caught(h.ops.loginStart(h.target, h.sink));
    expect(failed.message).toBe(`The OpenMates API at ${h.server.url} failed when asked to give a login code: it answered 500 Internal Server Error.`);
    expect(failed.kind).toBe('operation-failed');

    const code = await h.ops.loginStart(h.target, h.sink);
    h.server.fail(/\/pair\/poll\//, 500, 1);
    const waiting = h.ops.loginWaitForApproval(code, h.sink);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await h.server.approve(code.token);
    await expect(waiting).resolves.toEqual({ device: 'iPhone' });
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'retrying', attempt: 1, maxAttempts: 3 }));

    const second = await h.ops.loginStart(h.target, h.sink);
    h.server.fail(/\/pair\/poll\//, 503);
    const gaveUp = await caught(h.ops.loginWaitForApproval(second, h.sink));
    expect(gaveUp.message).toContain('failed when asked to say whether the login was approved: it answered 503');

    await h.server.close();
    cleanups.pop();
    const refused = await caught(h.ops.loginStart(h.target, h.sink));
    expect(refused.message).toBe(`Cannot reach the OpenMates API at ${h.server.url} to give a login code: connection refused (nothing listens there).`);
    expect(refused.hint).toContain('--api-url');
  });

  it('waits out HTTP 429 as Retry-After asks and says why; a wait longer than allowed is an error saying when to return', async () => {
    const slept: number[] = [];
    const h = await harness({ limits: { initiate: { count: 1, windowSeconds: 3600 } }, retryAfter: 2 }, { sleep: async (ms) => void slept.push(ms) });
    await h.ops.loginStart(h.target, h.sink);
    const error = await caught(h.ops.loginStart(h.target, h.sink));
    // It waited 2 s (Retry-After) four times, then gave up saying why.
    expect(slept).toEqual([2000, 2000, 2000, 2000]);
    expect(h.events.filter((e) => e.type === 'rate-limited')[0]).toEqual({
      type: 'rate-limited',
      request: 'give a login code',
      reason: 'it hands out at most 10 login codes per hour to one address',
      waitSeconds: 2,
      retryAfterGiven: true,
    });
    expect(error.message).toContain('is rate-limiting requests to give a login code (HTTP 429)');

    const long = await harness({ limits: { initiate: { count: 1, windowSeconds: 3600 } } }, { sleep: async () => {} });
    await long.ops.loginStart(long.target, long.sink);
    const tooLong = await caught(long.ops.loginStart(long.target, long.sink));
    expect(tooLong.hint).toBe('Try again in 60 min (the server asked for that wait).');
    expect(long.events.some((e) => e.type === 'rate-limited')).toBe(false);
  });

  it('waits out one 429 and goes on', async () => {
    const h = await harness({ retryAfter: 'omit' }, { sleep: async () => {} });
    h.server.fail(/\/pair\/initiate$/, 429, 1);
    const code = await h.ops.loginStart(h.target, h.sink);
    expect(code.token).toHaveLength(6);
    expect(h.events[0]).toMatchObject({ type: 'rate-limited', waitSeconds: 60, retryAfterGiven: false });
  });

  it('tells the server nothing when cancelled while waiting', async () => {
    const h = await harness();
    const code = await h.ops.loginStart(h.target, h.sink);
    const controller = new AbortController();
    const waiting = h.ops.loginWaitForApproval(code, h.sink, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await caught(waiting)).toMatchObject({ kind: 'interrupted' });
    const after = h.server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.server.requests.length).toBe(after);
    expect(h.server.requests.every((r) => r.path === '/v1/auth/pair/initiate' || r.path.startsWith('/v1/auth/pair/poll/'))).toBe(true);
  });

  it('refuses a bundle that does not open, without quoting it', async () => {
    const h = await harness();
    const code = await h.ops.loginStart(h.target, h.sink);
    const { pin } = await h.server.approve(code.token, { bundle: { lookup_hash: 'SECRET-LOOKUP' } });
    await h.ops.loginWaitForApproval(code, h.sink);
    const error = await caught(h.ops.loginSubmitPin(code, pin, h.sink));
    expect(error).toMatchObject({ kind: 'login-failed', reason: 'undecryptable' });
    expect(error.message).toContain('the decrypted bundle has no hashed_email');
    expect(`${error.message} ${error.hint} ${error.stack}`).not.toContain('SECRET-LOOKUP');
  });
});

describe('where the API comes from', () => {
  it('takes the installed instance\'s "API" URL, and says what to pass when nothing is installed', async () => {
    const h = await harness();
    const installDir = join(h.home, 'install');
    mkdirSync(installDir);
    writeFileSync(
      join(installDir, 'openmates-stack.yml'),
      [
        'name: omt-login',
        'compose: ./docker-compose.yml',
        'registry: registry.local/openmates',
        'registryVariable: OPENMATES_IMAGE_REGISTRY',
        'tag: v1.0.0',
        'tagVariable: OPENMATES_IMAGE_TAG',
        'versionImage: openmates-api',
        'urls:',
        '  - { name: Web app, url: "http://localhost:5999" }',
        `  - { name: API, url: "${h.server.url}" }`,
        '',
      ].join('\n'),
    );
    const code = await h.ops.loginStart({ installDir }, h.sink);
    // 127.0.0.1 is local, so the reference's rule wins over the install's web app URL.
    expect(code).toMatchObject({ apiBase: h.server.url, appOrigin: 'http://localhost:5173' });
    expect((await h.ops.loginStart({ installDir, appUrl: 'https://app.example.org/ignored/path' }, h.sink)).link).toMatch(/^https:\/\/app\.example\.org\/#pair=/);

    const missing = await caught(h.ops.loginStart({ installDir: join(h.home, 'nothing') }, h.sink));
    expect(missing).toMatchObject({ kind: 'not-installed' });
    expect(missing.hint).toContain('--api-url');
    const unknownHost = await caught(h.ops.loginStart({ installDir: join(h.home, 'nothing'), apiUrl: 'http://10.0.0.9:8000' }, h.sink));
    expect(unknownHost).toMatchObject({ kind: 'usage' });
    expect(unknownHost.hint).toContain('--app-url');
  });
});
