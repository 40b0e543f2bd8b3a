import { OpenmatesError } from '../core/errors.js';
import { callApi, type ApiTransport } from './api-request.js';
import type { CookieJar } from './cookies.js';

export type PollStatus = 'waiting' | 'ready' | 'expired';

export type CompleteAnswer =
  | { success: true; encryptedBundle: string; iv: string; autoLogoutMinutes: number | null; authorizerDeviceName: string | null }
  | { success: false; message: string };

export interface LoginRequestBody {
  hashed_email: string;
  lookup_hash: string;
  session_id: string;
  stay_logged_in: true;
  login_method: 'pair';
}

export interface AccountAnswer {
  success: boolean;
  /** The server's short explanation when it says no. */
  message: string | undefined;
  username: string | undefined;
  setCookies: string[];
}

/**
 * The pair login endpoints under `${apiBase}/v1/auth` (see shared/reference/openmates.md, "Login
 * from another device"), with their answers checked. Shape errors name the field, never a value.
 */
export class PairApi {
  constructor(
    readonly apiBase: string,
    private readonly transport: ApiTransport,
  ) {}

  async initiate(deviceHint: string, signal?: AbortSignal): Promise<{ token: string; expiresIn: number }> {
    const purpose = 'give a login code';
    const { body } = await callApi(this.apiBase, { method: 'POST', path: '/v1/auth/pair/initiate', body: { device_hint: deviceHint }, purpose }, this.transport, signal);
    const record = this.object(body, purpose);
    const token = this.string(record, 'token', purpose);
    const expiresIn = record.expires_in;
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) throw this.shape(purpose, 'expires_in');
    return { token, expiresIn };
  }

  async poll(token: string, signal?: AbortSignal): Promise<{ status: PollStatus; authorizerDeviceName: string | null }> {
    const purpose = 'say whether the login was approved';
    const { body } = await callApi(this.apiBase, { method: 'GET', path: `/v1/auth/pair/poll/${encodeURIComponent(token)}`, purpose }, this.transport, signal);
    const record = this.object(body, purpose);
    const status = record.status;
    if (status !== 'waiting' && status !== 'ready' && status !== 'expired') throw this.shape(purpose, 'status');
    return { status, authorizerDeviceName: optionalString(record.authorizer_device_name) ?? null };
  }

  async complete(token: string, pin: string, signal?: AbortSignal): Promise<CompleteAnswer> {
    const purpose = 'check the PIN';
    const { body } = await callApi(this.apiBase, { method: 'POST', path: `/v1/auth/pair/complete/${encodeURIComponent(token)}`, body: { pin }, purpose }, this.transport, signal);
    const record = this.object(body, purpose);
    if (record.success !== true) return { success: false, message: optionalString(record.message) ?? 'unknown' };
    const autoLogout = record.auto_logout_minutes;
    return {
      success: true,
      encryptedBundle: this.string(record, 'encrypted_bundle', purpose),
      iv: this.string(record, 'iv', purpose),
      autoLogoutMinutes: typeof autoLogout === 'number' && Number.isFinite(autoLogout) && autoLogout > 0 ? autoLogout : null,
      authorizerDeviceName: optionalString(record.authorizer_device_name) ?? null,
    };
  }

  async login(request: LoginRequestBody, signal?: AbortSignal): Promise<AccountAnswer & { wsToken: string | undefined }> {
    const purpose = 'log in';
    const { body, setCookies } = await callApi(this.apiBase, { method: 'POST', path: '/v1/auth/login', body: request, purpose }, this.transport, signal);
    const record = this.object(body, purpose);
    return { ...accountFields(record), setCookies, wsToken: optionalString(record.ws_token) };
  }

  /** POST /v1/auth/session: whether the server still accepts this session. */
  async session(sessionId: string, cookies: CookieJar, signal?: AbortSignal): Promise<AccountAnswer> {
    const purpose = 'check the session';
    const { body, setCookies } = await callApi(this.apiBase, { method: 'POST', path: '/v1/auth/session', body: { session_id: sessionId }, cookies, purpose }, this.transport, signal);
    return { ...accountFields(this.object(body, purpose)), setCookies };
  }

  /** POST /v1/auth/logout (upstream's endpoint; the reference names none): ends the session on the server. */
  async logout(cookies: CookieJar, signal?: AbortSignal): Promise<{ success: boolean; message: string | undefined }> {
    const purpose = 'log out';
    const { body } = await callApi(this.apiBase, { method: 'POST', path: '/v1/auth/logout', body: {}, cookies, purpose }, this.transport, signal);
    const record = this.object(body, purpose);
    return { success: record.success === true, message: optionalString(record.message) };
  }

  private object(body: unknown, purpose: string): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.shape(purpose);
    return body as Record<string, unknown>;
  }

  private string(record: Record<string, unknown>, field: string, purpose: string): string {
    const value = record[field];
    if (typeof value !== 'string' || value === '') throw this.shape(purpose, field);
    return value;
  }

  private shape(purpose: string, field?: string): OpenmatesError {
    return new OpenmatesError(
      'operation-failed',
      `The OpenMates API at ${this.apiBase} gave an unexpected answer when asked to ${purpose}${field ? `: "${field}" is missing or not what the protocol says` : ': not a JSON object'}.`,
      'This CLI and the server may not speak the same version of the pair login; update the CLI or check --api-url.',
    );
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined;
}

function accountFields(record: Record<string, unknown>): Omit<AccountAnswer, 'setCookies'> {
  const user = typeof record.user === 'object' && record.user !== null ? (record.user as Record<string, unknown>) : {};
  return { success: record.success === true, message: optionalString(record.message), username: optionalString(user.username) };
}
