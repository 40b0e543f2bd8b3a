import { CheckCache } from './check-cache.js';
import { imageRepository, type ImageRepository } from './image-repository.js';
import { listRegistryTags } from './registry-tags.js';

export interface AvailableTags {
  repository: ImageRepository;
  tags: string[];
  /** When the registry was asked (ms since the epoch). */
  checkedAt: number;
  fromCache: boolean;
}

/**
 * The registry tags of the stack's version image, from the cache when it is younger than a day
 * (unless `fresh`), else from the registry (and then cached). Throws what listRegistryTags throws.
 */
export async function availableTags(
  options: { registry: string; image: string; fresh?: boolean; cache?: CheckCache },
  signal?: AbortSignal,
): Promise<AvailableTags> {
  const repository = imageRepository(options.registry, options.image);
  const cache = options.cache ?? new CheckCache();
  const key = `tags ${repository.baseUrl}/${repository.repository}`;
  if (!options.fresh) {
    const cached = await cache.get<string[]>(key);
    if (cached && Array.isArray(cached.value)) return { repository, tags: cached.value, checkedAt: cached.checkedAt, fromCache: true };
  }
  const tags = await listRegistryTags(repository, signal);
  await cache.set(key, tags);
  return { repository, tags, checkedAt: Date.now(), fromCache: false };
}
