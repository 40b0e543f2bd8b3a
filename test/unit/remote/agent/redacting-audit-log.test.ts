import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createStaticRedactor } from '../../../../src/core/secrets/index.js';
import { openAuditLog } from '../../../../src/remote/agent/audit-log.js';
import { verifyAuditLog } from '../../../../src/remote/agent/audit-verify.js';
import { redactingAuditLog } from '../../../../src/remote/agent/redacting-audit-log.js';

const PASSWORD = 'audit-secret-value-123';
let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'audit-redact-')), 'remote');
});
afterEach(async () => rm(join(dir, '..'), { recursive: true, force: true }));

it('the audit log records the target and reason with tokens, and its hash chain still verifies', async () => {
  const secrets = createStaticRedactor([{ source: 'install-env', name: 'DATABASE_PASSWORD', value: PASSWORD }]);
  const log = redactingAuditLog(await openAuditLog(dir), secrets);
  const record = await log.append({
    device: { id: 'dev', name: 'phone' },
    role: 'approver',
    op: 'exec',
    target: `psql "postgres://app:${PASSWORD}@db/app"`,
    decision: 'refused',
    reason: `denied: it contains ${Buffer.from(PASSWORD).toString('base64')}`,
    result: 'error',
    code: 'refused',
    bytes: 0,
    durationMs: 1,
  });
  await log.close();
  expect(record.target).toBe('psql "postgres://app:<SECRET:install-env:DATABASE_PASSWORD:au…23>@db/app"');
  expect(record.reason).toContain('<SECRET:install-env:DATABASE_PASSWORD:');
  expect(record.device).toEqual({ id: 'dev', name: 'phone' });
  const text = await readFile(log.path, 'utf8');
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(0, 20));
  expect((await verifyAuditLog(dir)).ok).toBe(true);
});
