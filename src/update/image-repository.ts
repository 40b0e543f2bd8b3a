/** Where an image's tags are listed: the registry's base URL and the repository path inside it. */
export interface ImageRepository {
  /** "ghcr.io", "127.0.0.1:5055", "registry-1.docker.io". */
  host: string;
  /** "https://ghcr.io" or, for a registry on this machine, "http://127.0.0.1:5055". */
  baseUrl: string;
  /** "glowingkitty/openmates-api". */
  repository: string;
  /** For messages: "ghcr.io/glowingkitty/openmates-api". */
  display: string;
}

const DOCKER_HUB_HOST = 'registry-1.docker.io';
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

/**
 * Reads the stack's registry value (a host, optionally with a namespace: "ghcr.io/glowingkitty",
 * "127.0.0.1:5055/openmates-test") and the version image's name, the way Docker reads an image
 * reference: a first part with a "." or ":" (or "localhost") is a registry host; otherwise it is
 * Docker Hub. Registries on this machine speak plain http, every other one https.
 */
export function imageRepository(registry: string, image: string): ImageRepository {
  const parts = `${registry.replace(/\/+$/, '')}/${image.replace(/^\/+/, '')}`.split('/').filter(Boolean);
  const first = parts[0] ?? '';
  const isHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let host = isHost ? first : DOCKER_HUB_HOST;
  let path = isHost ? parts.slice(1) : parts;
  if (host === 'docker.io' || host === 'index.docker.io') host = DOCKER_HUB_HOST;
  if (host === DOCKER_HUB_HOST && path.length === 1) path = ['library', ...path];
  const hostName = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  const scheme = LOCAL_HOSTS.includes(hostName) ? 'http' : 'https';
  const repository = path.join('/');
  return { host, baseUrl: `${scheme}://${host}`, repository, display: `${isHost ? host : 'docker.io'}/${repository}` };
}
