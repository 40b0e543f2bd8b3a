import { messageOf } from '../errors.js';
import type { StackHealthCheck } from '../stack/schema.js';
import type { HealthCheckResult } from '../status/types.js';

const CHECK_TIMEOUT_MS = 3_000;

/** One GET against a health URL: status code, and the JSON fields when the stack names them. */
export async function runHealthCheck(check: StackHealthCheck, signal?: AbortSignal): Promise<HealthCheckResult> {
  const result = (ok: boolean, detail: string): HealthCheckResult => ({ name: check.name, url: check.url, ok, detail });
  const timeout = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(check.url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' });
  } catch (error) {
    if (timeout.aborted) return result(false, `no answer within ${CHECK_TIMEOUT_MS / 1000} s`);
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    return result(false, cause?.code === 'ECONNREFUSED' ? 'connection refused' : messageOf(cause ?? error));
  }
  const body = await response.text().catch(() => '');
  if (response.status !== check.status) return result(false, `HTTP ${response.status}, expected ${check.status}`);
  if (!check.json) return result(true, `HTTP ${response.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return result(false, `HTTP ${response.status} but the body is not JSON`);
  }
  for (const [field, expected] of Object.entries(check.json)) {
    const actual = field.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), parsed);
    if (actual !== expected) return result(false, `${field} is ${JSON.stringify(actual ?? null)}, expected ${JSON.stringify(expected)}`);
  }
  return result(true, `HTTP ${response.status}, ${Object.entries(check.json).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
}
