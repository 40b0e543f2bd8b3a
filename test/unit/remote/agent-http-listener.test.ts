import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { listenHttp, type HttpListener } from '../../../src/remote/agent/http-listener.js';

describe("the agent's direct-mode listener: the web page over HTTP, WebSockets handed on", () => {
  let listener: HttpListener | undefined;
  let sockets: WebSocketServer | undefined;
  afterEach(async () => {
    await listener?.close();
    sockets?.close();
  });
  const start = async () => {
    sockets = new WebSocketServer({ noServer: true });
    listener = await listenHttp('127.0.0.1', 0, sockets);
    return `http://127.0.0.1:${listener.port}`;
  };

  it('serves the page with strict headers: CSP without inline script, nosniff, no referrer, no cache', async () => {
    const base = await start();
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('app.js');
    const script = await fetch(`${base}/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(csp);
  });

  it('answers other paths 404 and other methods 405, with the same headers', async () => {
    const base = await start();
    const missing = await fetch(`${base}/../../etc/passwd`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${base}/app.css`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('hands WebSocket upgrades (on / and on /v1/connect/<agent id>) to the WebSocket server', async () => {
    const base = await start();
    const received: string[] = [];
    sockets!.on('connection', (socket) => socket.on('message', (data) => received.push(data.toString())));
    for (const path of ['/', '/v1/connect/abc']) {
      const client = new WebSocket(`${base.replace('http', 'ws')}${path}`);
      await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
      client.send(`hello ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      client.close();
    }
    expect(received).toEqual(['hello /', 'hello /v1/connect/abc']);
  });

  it('a port in use is a clear preflight error', async () => {
    await start();
    const other = new WebSocketServer({ noServer: true });
    await expect(listenHttp('127.0.0.1', listener!.port, other)).rejects.toMatchObject({ kind: 'preflight', message: expect.stringContaining('the port is taken') });
  });
});
