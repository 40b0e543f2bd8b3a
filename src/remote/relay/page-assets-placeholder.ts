/**
 * Stands in for src/web/page-assets.ts (the web page's built files, another branch) until that
 * lands: `/` answers with a short page saying the web page is not built yet. Same name and shape.
 */
export interface PageAsset {
  contentType: string;
  body: Uint8Array | string;
}

export function webPageAsset(path: string): PageAsset | undefined {
  if (path !== '/' && path !== '/index.html') return undefined;
  return {
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><meta charset="utf-8"><title>OpenMates relay</title><p>This is an OpenMates relay. The web page is not built into this version yet; use the device link with <code>openmates remote</code>.</p>\n',
  };
}
