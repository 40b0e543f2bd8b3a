import { messageOf } from '../errors.js';
import type { StackHealthCheck } from '../stack/schema.js';
import type { HealthCheckResult } from '../status/types.js';
import { httpGet } from '../http/http-request.js';
import { degradedReasons, fieldAt, mismatch } from './json-answer.js';

const CHECK_TIMEOUT_MS = 3_000;
/** How many reasons a check's one-line detail names; the result keeps them all. */
const REASONS_IN_DETAIL = 5;

/**
 * One GET against a health URL: the status code, and the JSON fields when the stack names them.
 * An answer matching the check's `degraded` fields counts as up, with a warning and its reasons.
 */
export async function runHealthCheck(check: StackHealthCheck, signal?: AbortSignal): Promise<HealthCheckResult> {
  const result = (ok: boolean, detail: string): HealthCheckResult => ({ name: check.name, url: check.url, ok, detail });
  const timeout = AbortSignal.timeout(CHECK_TIMEOUT_MS);
  let response: { status: number; body: string };
  try {
    response = await httpGet(check.url, signal ? AbortSignal.any([signal, timeout]) : timeout);
  } catch (error) {
    if (timeout.aborted) return result(false, `no answer within ${CHECK_TIMEOUT_MS / 1000} s`);
    return result(false, (error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connection refused' : messageOf(error));
  }
  const body = response.body;
  if (response.status !== check.status) return result(false, `HTTP ${response.status}, expected ${check.status}`);
  if (!check.json && !check.degraded) return result(true, `HTTP ${response.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return result(false, `HTTP ${response.status} but the body is not JSON`);
  }
  const notUp = check.json ? mismatch(parsed, check.json) : undefined;
  if (check.degraded && mismatch(parsed, check.degraded.json) === undefined) {
    const reasons = degradedReasons(parsed, check.degraded.reasons, check.degraded.healthy);
    const said = Object.keys(check.degraded.json).map((field) => `${field} ${String(fieldAt(parsed, field))}`).join(', ');
    const named = reasons.length > REASONS_IN_DETAIL ? [...reasons.slice(0, REASONS_IN_DETAIL), `${reasons.length - REASONS_IN_DETAIL} more`] : reasons;
    return { ...result(true, `HTTP ${response.status}, ${said}${named.length > 0 ? `: ${named.join(', ')}` : ''}`), degraded: true, reasons };
  }
  if (notUp !== undefined) return result(false, notUp);
  const said = Object.keys(check.json ?? {}).map((field) => `${field} ${String(fieldAt(parsed, field))}`);
  return result(true, [`HTTP ${response.status}`, ...said].join(', '));
}
