import { OpenmatesError } from '../core/errors.js';
import { fetchFailureReason, timedOut } from './fetch-failure.js';
import { parseAuthChallenges } from './auth-challenge.js';
import type { ImageRepository } from './image-repository.js';

const MAX_REDIRECTS = 5;

/**
 * Reads one repository of a Docker Registry HTTP API v2 anonymously, the way `docker pull` reaches
 * a public image: a 401 with a Bearer challenge is answered by fetching an anonymous token from
 * the challenge's realm (ghcr.io, Docker Hub), then the request is sent again; the token is kept
 * for the client's later requests. Failures are OpenmatesError('operation-failed') that say
 * "Cannot <action> at <registry>: <cause>."; `signal` bounds every request.
 */
export class RegistryClient {
  private token: string | undefined;

  constructor(
    readonly repo: ImageRepository,
    /** What the caller is doing, for messages: "list the versions of ghcr.io/x/api". */
    private readonly action: string,
    private readonly signal?: AbortSignal,
  ) {}

  /** GET with the token dance; answers other than 401 are the caller's to read. */
  async get(url: string, accept: string): Promise<Response> {
    let response = await this.send(url, accept);
    if (response.status === 401 && this.token === undefined) {
      await response.body?.cancel();
      this.token = await this.anonymousToken(response.headers.get('www-authenticate'));
      response = await this.send(url, accept);
    }
    if (response.status === 401 || response.status === 403) {
      throw this.error(`it refused anonymous access (HTTP ${response.status})`, 'The image must be public, or the stack\'s "registry" value is wrong.');
    }
    return response;
  }

  async readJson(response: Response, what = 'its answer'): Promise<unknown> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.unreachable(error);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.error(`${what} is not JSON`);
    }
  }

  error(reason: string, hint?: string): OpenmatesError {
    return new OpenmatesError('operation-failed', `Cannot ${this.action} at ${this.repo.baseUrl}: ${reason}.`, hint);
  }

  /**
   * Follows redirects itself: ghcr.io sends blobs to a storage host with a signed URL, which must
   * not get our token (a second credential makes such stores refuse the request).
   */
  private async send(url: string, accept: string): Promise<Response> {
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      const sameOrigin = target.origin === new URL(this.repo.baseUrl).origin;
      let response: Response;
      try {
        response = await fetch(target, {
          headers: { Accept: accept, ...(this.token && sameOrigin ? { Authorization: `Bearer ${this.token}` } : {}) },
          redirect: 'manual',
          ...(this.signal ? { signal: this.signal } : {}),
        });
      } catch (error) {
        throw this.unreachable(error, target.host);
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw this.error(`it redirected more than ${MAX_REDIRECTS} times`);
      target = new URL(location, target);
    }
  }

  private async anonymousToken(header: string | null): Promise<string> {
    const bearer = parseAuthChallenges(header ?? '').find((challenge) => challenge.scheme === 'bearer');
    if (!bearer?.params.realm) {
      throw this.error('it asks for a login (HTTP 401 without a token service)', 'openmates reads public images only; check the stack\'s "registry" value.');
    }
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(bearer.params.realm);
    } catch {
      throw this.error(`its token service "${bearer.params.realm}" is not a URL`);
    }
    if (bearer.params.service) tokenUrl.searchParams.set('service', bearer.params.service);
    tokenUrl.searchParams.set('scope', bearer.params.scope ?? `repository:${this.repo.repository}:pull`);
    let response: Response;
    try {
      response = await fetch(tokenUrl, { headers: { Accept: 'application/json' }, ...(this.signal ? { signal: this.signal } : {}) });
    } catch (error) {
      throw this.unreachable(error, tokenUrl.host);
    }
    if (!response.ok) throw this.error(`its token service ${tokenUrl.host} answered HTTP ${response.status}`);
    const body = (await this.readJson(response)) as { token?: unknown; access_token?: unknown } | null;
    const token = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : undefined;
    if (!token) throw this.error(`its token service ${tokenUrl.host} gave no token`);
    return token;
  }

  private unreachable(error: unknown, host = this.repo.host): OpenmatesError {
    if (timedOut(this.signal)) return this.error(`${host} did not answer in time`, 'Check this server\'s network, or try again later.');
    if (this.signal?.aborted) return new OpenmatesError('interrupted', `Stopped while asking ${host} (${this.action}).`);
    return this.error(fetchFailureReason(error, host), 'Check this server\'s network and the stack\'s "registry" value.');
  }
}
