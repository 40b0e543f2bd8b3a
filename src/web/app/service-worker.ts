/**
 * The page's service worker: it keeps the page's own files (the HTML, script and stylesheet,
 * nothing the server answers through the protocol) in a cache, so a reload while the agent or
 * the relay is away still opens the page, which then shows the last snapshot with its age.
 * Network first: while the server answers, the page is always its newest version.
 */
export {};

interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const CACHE = 'openmates-page-v1';
/** Relative to where the worker lies: the relay may serve the page below a path. */
const base = new URL('./', worker.location.href);
const PAGE_FILES = ['', 'app.js', 'app.css'].map((file) => new URL(file, base).href);

/** The cached file a request is for (index.html is the page too), or undefined for anything else. */
function pageFile(request: Request): string | undefined {
  if (request.method !== 'GET') return undefined;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  const href = url.href === new URL('index.html', base).href ? base.href : url.href;
  return PAGE_FILES.includes(href) ? href : undefined;
}

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await (await caches.open(CACHE)).addAll(PAGE_FILES);
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const file = pageFile(event.request);
  if (!file) return;
  event.respondWith(
    (async () => {
      try {
        const answer = await fetch(event.request);
        if (answer.ok) await (await caches.open(CACHE)).put(file, answer.clone());
        return answer;
      } catch (error) {
        const cached = await caches.match(file);
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
