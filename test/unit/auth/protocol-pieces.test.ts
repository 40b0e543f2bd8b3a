import { describe, expect, it } from 'vitest';
import { callApi, retryAfterSeconds } from '../../../src/auth/api-request.js';
import { BundleDecryptError, decryptPairBundle } from '../../../src/auth/bundle-crypto.js';
import { applySetCookies, cookieHeader } from '../../../src/auth/cookies.js';
import { apiBaseFromUrl, deriveAppOrigin, pairLink } from '../../../src/auth/origins.js';
import { parsePairBundle } from '../../../src/auth/pair-bundle.js';
import { isPairToken, isPin, normalizePin, PAIR_TOKEN_ALPHABET } from '../../../src/auth/pair-token.js';
import { encryptBundleLikeWebApp } from '../../fixtures/pair-server/web-app-crypto.js';

describe('app origin from the API origin (reference: api.X -> app.X, api.openmates.org -> openmates.org, localhost -> :5173)', () => {
  it.each([
    ['https://api.example.org', 'https://app.example.org'],
    ['https://api.example.org:8443', 'https://app.example.org:8443'],
    ['https://api.openmates.org', 'https://openmates.org'],
    ['http://localhost:8000', 'http://localhost:5173'],
    ['http://127.0.0.1:8000', 'http://localhost:5173'],
    ['http://[::1]:8000', 'http://localhost:5173'],
  ])('%s -> %s', (api, app) => {
    expect(deriveAppOrigin(apiBaseFromUrl(api, '--api-url'))).toBe(app);
  });

  it('has no answer for other hosts, so the caller asks for --app-url', () => {
    expect(deriveAppOrigin('http://192.168.1.5:8000')).toBeUndefined();
    expect(deriveAppOrigin('https://openmates.example.org')).toBeUndefined();
  });

  it('keeps a path prefix, drops a trailing slash, and refuses what is not an http URL', () => {
    expect(apiBaseFromUrl('https://example.org/api/', '--api-url')).toBe('https://example.org/api');
    expect(apiBaseFromUrl('http://localhost:8000/', '--api-url')).toBe('http://localhost:8000');
    expect(() => apiBaseFromUrl('localhost:8000', '--api-url')).toThrow(/--api-url must be an http/);
    expect(() => apiBaseFromUrl('not a url', '--api-url')).toThrow(/--api-url is not a URL/);
    expect(() => apiBaseFromUrl('https://me:pw@api.example.org', '--api-url')).toThrow(/user name or password/);
  });

  it('builds the link the phone opens', () => {
    expect(pairLink('http://localhost:5173', 'ABC346')).toBe('http://localhost:5173/#pair=ABC346');
  });
});

describe('tokens and PINs', () => {
  it('knows the token alphabet, without look-alikes', () => {
    expect(PAIR_TOKEN_ALPHABET).toBe('ABCDEFGHJKLMNPQRTUVWXY3468');
    expect(isPairToken('ABC346')).toBe(true);
    expect(isPairToken('ABC0O1')).toBe(false);
    expect(isPairToken('ABC34')).toBe(false);
  });

  it('upper-cases PINs of 6 letters or digits', () => {
    expect(normalizePin(' ab12cd ')).toBe('AB12CD');
    expect(isPin('AB12CD')).toBe(true);
    expect(isPin('AB12C')).toBe(false);
    expect(isPin('AB12C!')).toBe(false);
  });
});

describe('the bundle, encrypted by the web app (WebCrypto) and opened here (node:crypto)', () => {
  const bundle = { lookup_hash: 'lh', hashed_email: 'he', user_email_salt: 'salt', master_key_exported: 'mk' };

  it('decrypts with the PIN and the upper-case token as salt', async () => {
    const sealed = await encryptBundleLikeWebApp(bundle, '042917', 'ABC346');
    const plaintext = await decryptPairBundle(sealed.encrypted_bundle, sealed.iv, '042917', 'abc346');
    expect(parsePairBundle(plaintext)).toEqual(bundle);
  });

  it('fails authentication with another PIN or token, naming no byte of it', async () => {
    const sealed = await encryptBundleLikeWebApp(bundle, '042917', 'ABC346');
    await expect(decryptPairBundle(sealed.encrypted_bundle, sealed.iv, '042918', 'ABC346')).rejects.toThrow(BundleDecryptError);
    await expect(decryptPairBundle(sealed.encrypted_bundle, sealed.iv, '042917', 'ABC347')).rejects.toThrow(/authentication failed/);
    await expect(decryptPairBundle(sealed.encrypted_bundle, Buffer.alloc(8).toString('base64'), '042917', 'ABC346')).rejects.toThrow(/IV is not 12 bytes/);
  });

  it('names a missing field, never the content, when the plaintext is not a bundle', () => {
    expect(() => parsePairBundle(Buffer.from('{"lookup_hash":"SECRET-VALUE"'))).toThrow('the decrypted bundle is not JSON');
    expect(() => parsePairBundle(Buffer.from('{"lookup_hash":"SECRET-VALUE"}'))).toThrow('the decrypted bundle has no hashed_email');
    try {
      parsePairBundle(Buffer.from('SECRET-VALUE'));
    } catch (error) {
      expect(String(error)).not.toContain('SECRET');
    }
  });
});

describe('cookies', () => {
  it('keeps what the server sets and drops what it deletes', () => {
    let jar = applySetCookies({}, ['auth_refresh_token=r1; HttpOnly; Path=/; Max-Age=2592000', 'auth_access_token=a1; Path=/']);
    expect(jar).toEqual({ auth_refresh_token: 'r1', auth_access_token: 'a1' });
    jar = applySetCookies(jar, ['auth_refresh_token=r2; Path=/', 'auth_access_token=; Max-Age=0; Path=/']);
    expect(jar).toEqual({ auth_refresh_token: 'r2' });
    jar = applySetCookies(jar, ['auth_refresh_token=r2; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
    expect(jar).toEqual({});
    expect(cookieHeader({ a: '1', b: '2' })).toBe('a=1; b=2');
    expect(cookieHeader({})).toBeUndefined();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterSeconds('30')).toBe(30);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 1, 0)).toUTCString(), Date.UTC(2030, 0, 1, 0, 0, 0))).toBe(60);
  });
});

describe('API errors never quote what was sent or received', () => {
  const answer = (body: string, init: { status: number; statusText?: string }) => ({ status: init.status, statusText: init.statusText ?? '', headers: {}, body });
  const transport = (response: () => ReturnType<typeof answer>) => ({ send: async () => response(), timeoutMs: 1000, userAgent: 'test' });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as Error,
    );

  it('leaves out validation details that echo the request, and bodies that are not JSON', async () => {
    const echo = transport(() => answer(JSON.stringify({ detail: [{ loc: ['body', 'pin'], msg: 'bad', input: 'PIN-SECRET' }] }), { status: 422, statusText: 'Unprocessable Entity' }));
    const error = await failure(callApi('http://api.test', { method: 'POST', path: '/v1/auth/pair/complete/ABC346', body: { pin: 'PIN-SECRET' }, purpose: 'check the PIN' }, echo));
    expect(error.message).toBe('The OpenMates API at http://api.test refused to check the PIN: it answered 422 Unprocessable Entity.');
    expect(String(error.stack)).not.toContain('PIN-SECRET');

    const garbage = transport(() => answer('{"ws_token":"WS-SECRET"', { status: 200 }));
    const notJson = await failure(callApi('http://api.test', { method: 'POST', path: '/v1/auth/login', body: {}, purpose: 'log in' }, garbage));
    expect(notJson.message).toBe('The OpenMates API at http://api.test answered with something that is not JSON when asked to log in.');
    expect(String(notJson.stack)).not.toContain('WS-SECRET');
  });

  it('quotes a short plain-text explanation the server gives', async () => {
    const said = transport(() => answer(JSON.stringify({ detail: 'Pair token not found or expired' }), { status: 404, statusText: 'Not Found' }));
    const error = await failure(callApi('http://api.test', { method: 'GET', path: '/v1/auth/pair/poll/ABC346', purpose: 'say whether the login was approved' }, said));
    expect(error.message).toContain('answered 404 Not Found (Pair token not found or expired)');
  });
});
