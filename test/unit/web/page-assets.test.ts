import { describe, expect, it } from 'vitest';
import { webPageAsset } from '../../../src/web/page-assets.js';

// The built page (npm run build writes dist/web/; scripts/test.sh builds before the tests).
describe('webPageAsset: the built web page, and nothing else', () => {
  it('answers / with the HTML, which loads only its own script and stylesheet (no inline script)', () => {
    const page = webPageAsset('/');
    expect(page?.contentType).toBe('text/html; charset=utf-8');
    const html = page!.body.toString('utf8');
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="app.css" />');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/https?:\/\//);
    expect(webPageAsset('/index.html')?.body).toEqual(page!.body);
  });

  it('answers the script and stylesheet with their types; a query is ignored', () => {
    expect(webPageAsset('/app.js')?.contentType).toBe('text/javascript; charset=utf-8');
    expect(webPageAsset('/app.js?v=2')?.body.byteLength).toBeGreaterThan(10_000);
    expect(webPageAsset('/app.css')?.contentType).toBe('text/css; charset=utf-8');
  });

  it('answers the service worker, which caches only the page\'s own three files', () => {
    const worker = webPageAsset('/sw.js');
    expect(worker?.contentType).toBe('text/javascript; charset=utf-8');
    const code = worker!.body.toString('utf8');
    expect(code).toContain('["","app.js","app.css"]');
    expect(code).not.toMatch(/\bimport\b|\bexport\b/);
  });

  it('answers undefined for any other path: no file outside the page is reachable', () => {
    for (const path of ['/package.json', '/../package.json', '/app.js/..', '/%2e%2e/package.json', '/web/app.js', '//app.js', '/constructor', '/__proto__', '']) {
      expect(webPageAsset(path), path).toBeUndefined();
    }
  });
});
