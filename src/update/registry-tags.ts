import { nextLink } from './auth-challenge.js';
import type { ImageRepository } from './image-repository.js';
import { RegistryClient } from './registry-client.js';

const MAX_PAGES = 50;
const PAGE_SIZE = 1000;

/**
 * Every tag of an image, through the Docker Registry HTTP API v2 (`GET /v2/<name>/tags/list`),
 * anonymously (RegistryClient answers Bearer challenges). Follows `Link: <…>; rel="next"` pages.
 * Failures are OpenmatesError('operation-failed') naming the registry and the cause; `signal`
 * bounds the whole exchange.
 */
export async function listRegistryTags(repo: ImageRepository, signal?: AbortSignal): Promise<string[]> {
  const client = new RegistryClient(repo, `list the versions of ${repo.display}`, signal);
  const tags: string[] = [];
  let url: string | undefined = `${repo.baseUrl}/v2/${repo.repository}/tags/list?n=${PAGE_SIZE}`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const response = await client.get(url, 'application/json');
    if (response.status === 404) {
      throw client.error(`it has no image ${repo.repository} (HTTP 404)`, 'Check the "registry" and "versionImage" of the stack.');
    }
    if (!response.ok) throw client.error(`it answered HTTP ${response.status}`);
    const body = (await client.readJson(response, 'its tag list')) as { tags?: unknown } | null;
    if (body?.tags !== null && body?.tags !== undefined && !Array.isArray(body.tags)) throw client.error('its tag list is not a list');
    for (const tag of (body?.tags as unknown[] | null | undefined) ?? []) if (typeof tag === 'string') tags.push(tag);
    url = nextLink(response.headers.get('link'), url);
  }
  return [...new Set(tags)];
}
