import { OpenmatesError } from '../core/errors.js';
import { fetchFailureReason, timedOut } from './fetch-failure.js';
import { nextLink, parseAuthChallenges } from './auth-challenge.js';
import type { ImageRepository } from './image-repository.js';

const MAX_PAGES = 50;
const PAGE_SIZE = 1000;

/**
 * Every tag of an image, through the Docker Registry HTTP API v2 (`GET /v2/<name>/tags/list`),
 * the way `docker pull` reaches a public image: a 401 with a Bearer challenge is answered by
 * fetching an anonymous token from the challenge's realm (ghcr.io, Docker Hub) and asking again.
 * Follows `Link: <…>; rel="next"` pages. Failures are OpenmatesError('operation-failed') naming
 * the registry and the cause; `signal` bounds the whole exchange.
 */
export async function listRegistryTags(repo: ImageRepository, signal?: AbortSignal): Promise<string[]> {
  const tags: string[] = [];
  let url: string | undefined = `${repo.baseUrl}/v2/${repo.repository}/tags/list?n=${PAGE_SIZE}`;
  let token: string | undefined;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    let response = await get(repo, url, token, signal);
    if (response.status === 401 && token === undefined) {
      token = await anonymousToken(repo, response.headers.get('www-authenticate'), signal);
      response = await get(repo, url, token, signal);
    }
    if (response.status === 401 || response.status === 403) {
      throw registryError(repo, `it refused anonymous access (HTTP ${response.status})`, 'The image must be public, or the stack\'s "registry" value is wrong.');
    }
    if (response.status === 404) {
      throw registryError(repo, `it has no image ${repo.repository} (HTTP 404)`, 'Check the "registry" and "versionImage" of the stack.');
    }
    if (!response.ok) throw registryError(repo, `it answered HTTP ${response.status}`);
    const body = (await readJson(repo, response, signal)) as { tags?: unknown };
    if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) throw registryError(repo, 'its tag list is not a list');
    for (const tag of (body.tags as unknown[] | null | undefined) ?? []) if (typeof tag === 'string') tags.push(tag);
    url = nextLink(response.headers.get('link'), url);
  }
  return [...new Set(tags)];
}

async function get(repo: ImageRepository, url: string, token: string | undefined, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, {
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      redirect: 'follow',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    throw unreachable(repo, error, signal);
  }
}

async function readJson(repo: ImageRepository, response: Response, signal?: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw unreachable(repo, error, signal);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw registryError(repo, 'its answer is not JSON');
  }
}

/** Follows a Bearer challenge to an anonymous pull token. */
async function anonymousToken(repo: ImageRepository, header: string | null, signal?: AbortSignal): Promise<string> {
  const bearer = parseAuthChallenges(header ?? '').find((challenge) => challenge.scheme === 'bearer');
  if (!bearer?.params.realm) {
    throw registryError(repo, 'it asks for a login (HTTP 401 without a token service)', 'openmates lists tags of public images only; check the stack\'s "registry" value.');
  }
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(bearer.params.realm);
  } catch {
    throw registryError(repo, `its token service "${bearer.params.realm}" is not a URL`);
  }
  if (bearer.params.service) tokenUrl.searchParams.set('service', bearer.params.service);
  tokenUrl.searchParams.set('scope', bearer.params.scope ?? `repository:${repo.repository}:pull`);
  let response: Response;
  try {
    response = await fetch(tokenUrl, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw unreachable(repo, error, signal, tokenUrl.host);
  }
  if (!response.ok) throw registryError(repo, `its token service ${tokenUrl.host} answered HTTP ${response.status}`);
  const body = (await readJson(repo, response, signal)) as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw registryError(repo, `its token service ${tokenUrl.host} gave no token`);
  return token;
}

function registryError(repo: ImageRepository, reason: string, hint?: string): OpenmatesError {
  return new OpenmatesError('operation-failed', `Cannot list the versions of ${repo.display} at ${repo.baseUrl}: ${reason}.`, hint);
}

function unreachable(repo: ImageRepository, error: unknown, signal: AbortSignal | undefined, host = repo.host): OpenmatesError {
  if (timedOut(signal)) return registryError(repo, `${host} did not answer in time`, 'Check this server\'s network, or try again later.');
  if (signal?.aborted) return new OpenmatesError('interrupted', `Stopped while asking ${host} for the versions of ${repo.display}.`);
  return registryError(repo, fetchFailureReason(error, host), 'Check this server\'s network and the stack\'s "registry" value.');
}
