import type { IncomingMessage, ServerResponse } from 'node:http';
import { webPageAsset } from './page-assets.js';
import { WEB_PAGE_HEADERS } from './page-headers.js';

function answer(response: ServerResponse, status: number, contentType: string, body: Buffer | string, method: string | undefined) {
  response.writeHead(status, { ...WEB_PAGE_HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  response.end(method === 'HEAD' ? undefined : body);
}

/** Answers a request with the web page's file for its path (the agent's listener and the relay), with the page's headers. */
export function servePage(request: IncomingMessage, response: ServerResponse): void {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return answer(response, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD are answered here.\n', method);
  }
  const asset = webPageAsset(request.url ?? '/');
  if (asset) return answer(response, 200, asset.contentType, asset.body, method);
  const path = (request.url ?? '/').split('?', 1)[0];
  const notBuilt = path === '/' || path === '/index.html';
  answer(response, 404, 'text/plain; charset=utf-8', notBuilt ? 'The web page is not built into this openmates (run `npm run build`).\n' : 'Not found.\n', method);
}
