import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One file of the web page, ready to send. */
export interface WebPageAsset {
  contentType: string;
  body: Buffer;
}

/** The page's only files (the build writes them to dist/web/): nothing else under the page's origin is served. */
const ASSETS: Record<string, { file: string; contentType: string }> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', contentType: 'text/css; charset=utf-8' },
  // The service worker that keeps the three above for a reload while the server is away.
  '/sw.js': { file: 'sw.js', contentType: 'text/javascript; charset=utf-8' },
};

/**
 * Where the built page lies: beside the bundle (dist/web/ next to dist/openmates.js and its
 * chunks), or, run from the sources (tests, tsx), the package's dist/web/.
 */
function pageDir(): string | undefined {
  for (const candidate of ['./web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

const cache = new Map<string, WebPageAsset>();

/**
 * The web page's file for a request path (`/`, `/app.js`, ...; a query is ignored), or undefined
 * when the path is not one of the page's files or the page is not built. The agent's direct-mode
 * listener and the relay both answer GET with it.
 */
export function webPageAsset(path: string): WebPageAsset | undefined {
  const pathname = path.split(/[?#]/, 1)[0] ?? '';
  const asset = Object.hasOwn(ASSETS, pathname) ? ASSETS[pathname] : undefined;
  if (!asset) return undefined;
  const cached = cache.get(asset.file);
  if (cached) return cached;
  const dir = pageDir();
  if (!dir) return undefined;
  const loaded = { contentType: asset.contentType, body: readFileSync(`${dir}${asset.file}`) };
  cache.set(asset.file, loaded);
  return loaded;
}
