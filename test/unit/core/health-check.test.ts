import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { degradedChecks, healthStepOutcome } from '../../../src/core/health/degraded.js';
import { runHealthCheck } from '../../../src/core/health/http-check.js';
import { isHealthy } from '../../../src/core/health/wait-for-healthy.js';
import { stackSchema, type StackHealthCheck } from '../../../src/core/stack/schema.js';

/** Upstream's /v1/health answer (backend/core/api/main.py): HTTP 200 whatever the status. */
function upstreamAnswer(status: string, providers: Record<string, string>, apps: Record<string, string> = {}) {
  return {
    status,
    providers: Object.fromEntries(Object.entries(providers).map(([id, s]) => [id, { status: s, last_check: null, last_error: null, response_times_ms: {} }])),
    apps: Object.fromEntries(Object.entries(apps).map(([id, s]) => [id, { status: s, api: { status: s, last_error: null }, worker: { status: 'healthy', last_error: null }, last_check: null }])),
    external_services: {},
  };
}

const answers = new Map<string, { status: number; body: string }>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = answers.get(request.url ?? '') ?? { status: 404, body: 'not found' };
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function serve(path: string, body: unknown, status = 200) {
  answers.set(path, { status, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return `${base}${path}`;
}

/** A check as the stack file gives it, through the schema (defaults included). */
function check(fields: Record<string, unknown>): StackHealthCheck {
  const stack = stackSchema.parse({ name: 'demo', compose: 'c.yml', registry: 'r', registryVariable: 'R', tag: 'v1', tagVariable: 'T', versionImage: 'api', health: [{ name: 'api', ...fields }] });
  return stack.health[0]!;
}

const upstreamCheck = (url: string) => check({ url, json: { status: 'healthy' }, degraded: { json: { status: 'degraded' }, reasons: ['providers', 'apps', 'external_services'] } });

describe('health checks with degraded answers', () => {
  it('counts a healthy answer as up, without a warning', async () => {
    const result = await runHealthCheck(upstreamCheck(serve('/healthy', upstreamAnswer('healthy', { openai: 'healthy' }))));
    expect(result).toMatchObject({ ok: true, detail: 'HTTP 200, status healthy' });
    expect(result.degraded).toBeUndefined();
  });

  it('counts a degraded answer as up, with the providers and apps it names as reasons', async () => {
    const url = serve('/degraded', upstreamAnswer('degraded', { openai: 'unhealthy', mistral_ai: 'healthy' }, { images: 'degraded', ai: 'healthy' }));
    const result = await runHealthCheck(upstreamCheck(url));
    expect(result.ok).toBe(true);
    expect(result.degraded).toBe(true);
    expect(result.reasons).toEqual(['providers.openai unhealthy', 'apps.images degraded']);
    expect(result.detail).toBe('HTTP 200, status degraded: providers.openai unhealthy, apps.images degraded');
    const snapshot = { services: [], checks: [result] };
    expect(isHealthy(snapshot)).toBe(true);
    expect(degradedChecks(snapshot.checks)).toEqual([{ name: 'api', reasons: ['providers.openai unhealthy', 'apps.images degraded'] }]);
    expect(healthStepOutcome(snapshot, 'All ready')).toEqual({ outcome: 'warning', detail: 'All ready, but api answers degraded (providers.openai unhealthy, apps.images degraded)' });
  });

  it('counts HTTP 200 with status unhealthy as down', async () => {
    const result = await runHealthCheck(upstreamCheck(serve('/unhealthy', upstreamAnswer('unhealthy', { openai: 'unhealthy' }))));
    expect(result).toMatchObject({ ok: false, detail: 'status is "unhealthy", expected "healthy"' });
    expect(isHealthy({ services: [], checks: [result] })).toBe(false);
  });

  it('without a degraded field, a degraded answer is down (as before)', async () => {
    const result = await runHealthCheck(check({ url: serve('/strict', upstreamAnswer('degraded', { openai: 'unhealthy' })), json: { status: 'healthy' } }));
    expect(result).toMatchObject({ ok: false, detail: 'status is "degraded", expected "healthy"' });
  });

  it('accepts a list of values as up', async () => {
    const url = serve('/either', { status: 'ok', checks: { db: { status: 'up' } } });
    expect(await runHealthCheck(check({ url, json: { status: ['healthy', 'ok'], 'checks.db.status': 'up' } }))).toMatchObject({ ok: true, detail: 'HTTP 200, status ok, checks.db.status up' });
    expect(await runHealthCheck(check({ url, json: { status: ['healthy', 'fine'] } }))).toMatchObject({ ok: false, detail: 'status is "ok", expected "healthy" or "fine"' });
  });

  it('names only names and status words, shortened, never other fields of the answer', async () => {
    const long = 'x'.repeat(200);
    const body = { status: 'degraded', providers: { [long]: { status: 'unhealthy', last_error: 'token sk-secret rejected' } } };
    const result = await runHealthCheck(upstreamCheck(serve('/long', body)));
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons![0]!.length).toBeLessThan(80);
    expect(JSON.stringify(result)).not.toContain('sk-secret');
  });

  it('lists at most five reasons in the detail and keeps them all in the result', async () => {
    const providers = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`p${i}`, 'unhealthy']));
    const result = await runHealthCheck(upstreamCheck(serve('/many', upstreamAnswer('degraded', providers))));
    expect(result.reasons).toHaveLength(7);
    expect(result.detail).toMatch(/providers\.p4 unhealthy, 2 more$/);
  });

  it('still fails on the wrong status code or a body that is not JSON', async () => {
    expect(await runHealthCheck(upstreamCheck(serve('/500', upstreamAnswer('degraded', {}), 500)))).toMatchObject({ ok: false, detail: 'HTTP 500, expected 200' });
    expect(await runHealthCheck(upstreamCheck(serve('/html', '<html>')))).toMatchObject({ ok: false, detail: 'HTTP 200 but the body is not JSON' });
  });

  it('rejects a degraded field without json in the stack file', () => {
    expect(() => check({ url: `${base}/x`, degraded: { reasons: ['providers'] } })).toThrow();
  });
});
