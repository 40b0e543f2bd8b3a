import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { controlSocketPath } from '../../../../src/remote/agent/control-path.js';
import { startControlServer, type ControlServer } from '../../../../src/remote/agent/control-server.js';
import type { ControlRequest } from '../../../../src/remote/agent/control-messages.js';
import { controlSocketApprovals } from '../../../../src/remote/agent/control-approvals.js';
import { writeApproval } from '../../../screens/remote/approval-fixtures.js';

let base: string;
let server: ControlServer | undefined;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'approvals-source-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(base, { recursive: true, force: true });
});

describe('the approvals source over the control socket', () => {
  it('lists and decides through the running agent, saying the app decided', async () => {
    const env = { XDG_RUNTIME_DIR: join(base, 'run') };
    const stateDir = join(base, 'state');
    const seen: ControlRequest[] = [];
    server = await startControlServer(controlSocketPath(stateDir, env), async (request) => {
      seen.push(request);
      if (request.op === 'approvals') return [writeApproval()];
      if (request.op === 'approvals.decide') {
        if (request.decision.id !== 'k7p2qd') throw new OpenmatesError('refused', `No pending approval ${request.decision.id}.`, 'List them with openmates remote-access approvals.');
        return { ...writeApproval(), state: 'approved', decidedBy: { via: request.via, name: 'root' } };
      }
      return null;
    });
    const source = controlSocketApprovals({ stateDir, env });
    expect(await source.list()).toEqual([writeApproval({ requestedAt: expect.any(String), expiresAt: expect.any(String) })]);
    const decided = await source.decide({ id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'approve' });
    expect(decided).toMatchObject({ id: 'k7p2qd', state: 'approved', decidedBy: { via: 'app', name: 'root' } });
    expect(seen[1]).toEqual({ op: 'approvals.decide', via: 'app', decision: { id: 'k7p2qd', hash: 'a1'.repeat(32), decision: 'approve' } });
    await expect(source.decide({ id: 'nope', hash: 'x', decision: 'deny' })).rejects.toMatchObject({ kind: 'refused', message: 'No pending approval nope.' });
  });

  it('says undefined when no agent runs, and refuses an answer of the wrong shape', async () => {
    const env = { XDG_RUNTIME_DIR: join(base, 'run') };
    const stateDir = join(base, 'state');
    const source = controlSocketApprovals({ stateDir, env });
    expect(await source.list()).toBeUndefined();
    await expect(source.decide({ id: 'k7p2qd', hash: 'h', decision: 'approve' })).rejects.toMatchObject({ message: expect.stringContaining('not running') });
    server = await startControlServer(controlSocketPath(stateDir, env), async () => [{ id: 'broken' }]);
    await expect(source.list()).rejects.toMatchObject({ message: expect.stringContaining('does not understand') });
  });
});
