import { describe, expect, it } from 'vitest';
import { approvalLines } from '../../../src/cli/render/approval-lines.js';
import type { Approval } from '../../../src/remote/protocol/approvals.js';

const base: Approval = {
  id: 'k7p2qd',
  hash: 'h',
  op: 'files.write',
  headline: 'Overwrite /srv/a/notes.txt (4 bytes now, 5 bytes after).',
  targets: ['/srv/a/notes.txt'],
  device: { id: 'd', name: 'assistant', role: 'operator' },
  requestedAt: '2026-01-01T10:00:00.000Z',
  expiresAt: '2026-01-01T10:10:00.000Z',
  details: { kind: 'write', path: '/srv/a/notes.txt', before: { size: 4, version: 'v' }, after: { size: 5 }, binary: false, diff: '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new!\n', diffTruncated: true },
  undo: { possible: true, how: 'yes: `openmates remote-access undo` lists it and puts the previous state back' },
  forSessionAllowed: true,
  state: 'pending',
};

describe('approvalLines', () => {
  it('a pending write: headline, device, targets, the diff, undo, expiry and how to decide', () => {
    const text = approvalLines(base, Date.parse('2026-01-01T10:05:00.000Z')).join('\n');
    expect(text).toContain('k7p2qd  PENDING  Overwrite /srv/a/notes.txt');
    expect(text).toContain('from: assistant (operator), 2026-01-01 10:00:00 UTC');
    expect(text).toContain('targets: /srv/a/notes.txt');
    expect(text).toContain('    -old\n    +new!');
    expect(text).toContain('lines were left out');
    expect(text).toContain('undo: yes: `openmates remote-access undo`');
    expect(text).toContain('waits until 10:10:00 UTC (5 min left)');
    expect(text).toContain('approve k7p2qd [--for-session] | deny k7p2qd');
  });

  it('a decided destructive command: who decided, no for-session hint', () => {
    const approval: Approval = {
      ...base,
      op: 'exec',
      details: { kind: 'command', command: 'rm -rf build', cwd: '/srv/a', reasons: ['rm -r deletes a tree'], category: 'files', mayTouch: ['files under /srv/a'], destructive: true },
      forSessionAllowed: false,
      state: 'denied',
      decidedBy: { via: 'device', name: 'phone' },
      decidedAt: '2026-01-01T10:01:00.000Z',
      reason: 'not now',
    };
    const text = approvalLines(approval).join('\n');
    expect(text).toContain('command: rm -rf build');
    expect(text).toContain('DESTRUCTIVE');
    expect(text).toContain('denied by phone at 10:01:00 UTC: not now');
    expect(text).not.toContain('--for-session');
  });
});
