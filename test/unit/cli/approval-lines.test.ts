import { describe, expect, it } from 'vitest';
import { approvalLines } from '../../../src/cli/render/approval-lines.js';
import type { Approval } from '../../../src/remote/protocol/approvals.js';
import { diffLineStyle, durationText, outcomeText } from '../../../src/remote/protocol/approval-text.js';
import { printable, printableLine } from '../../../src/remote/protocol/approval-printable.js';
import { deleteApproval, restartApproval, writeApproval } from '../../screens/remote/approval-fixtures.js';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const at = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toISOString();
const timed = (approval: Approval): Approval => ({ ...approval, requestedAt: at(-130), expiresAt: at(470) });

describe('approvalLines (the plain-text approval the CLI prints)', () => {
  it('renders a write: headline, device, target, time, sizes, the diff, undo, and how to decide', () => {
    expect(approvalLines(timed(writeApproval()), { color: false, now: NOW })).toEqual([
      'k7p2qd  PENDING  Write /srv/app/config.yml',
      '  Device  phone (operator)',
      '  Target  /srv/app/config.yml',
      '  Time    asked 2m 10s ago, expires in 7m 50s',
      '  Writes  /srv/app/config.yml (1.2 kB → 1.3 kB)',
      '    --- a/srv/app/config.yml',
      '    +++ b/srv/app/config.yml',
      '    @@ -1,3 +1,3 @@',
      '     name: app',
      '    -port: 8080',
      '    +port: 9090',
      '     debug: false',
      '  Undo    yes: `openmates remote-access undo` lists it and puts the previous state back',
      '  Session approving for the session also allows files.write on the same path (or command) from phone until it disconnects',
      '  openmates remote-access approve k7p2qd [--for-session] · openmates remote-access deny k7p2qd [--reason TEXT]',
    ]);
  });

  it('colours + lines green and - lines red only when asked', () => {
    const coloured = approvalLines(timed(writeApproval()), { color: true, now: NOW });
    expect(coloured).toContain('    \x1b[32m+port: 9090\x1b[0m');
    expect(coloured).toContain('    \x1b[31m-port: 8080\x1b[0m');
    expect(coloured[0]).toBe('k7p2qd  \x1b[33mPENDING\x1b[0m  \x1b[1mWrite /srv/app/config.yml\x1b[0m');
    expect(approvalLines(timed(writeApproval()), { color: false, now: NOW }).join('\n')).not.toContain('\x1b');
  });

  it('a new file, a binary file and a cut diff say so', () => {
    const base = writeApproval().details as Extract<Approval['details'], { kind: 'write' }>;
    const created = approvalLines(timed(writeApproval({ details: { ...base, before: null, after: { size: 20 }, diff: '+a\n' } })), { color: false, now: NOW });
    expect(created).toContain('  Creates /srv/app/config.yml (new file, 20 B)');
    const binary = approvalLines(timed(writeApproval({ details: { ...base, binary: true, diff: undefined, after: { size: 2_500_000 } } })), { color: false, now: NOW });
    expect(binary).toContain('  Writes  /srv/app/config.yml (1.2 kB → 2.5 MB)');
    expect(binary).toContain('  Binary file: no diff shown, only the sizes.');
    const cut = approvalLines(timed(writeApproval({ details: { ...base, diffTruncated: true } })), { color: false, now: NOW });
    expect(cut).toContain('    … the diff is longer; the agent left the rest out');
  });

  it('a delete says what goes and why it cannot be approved for the session', () => {
    const lines = approvalLines(timed(deleteApproval()), { color: false, now: NOW });
    expect(lines).toContain('  Deletes /srv/app/cache: 12 files, 2 folders, 48 kB');
    expect(lines).toContain('  ✗ cache/a.bin');
    expect(lines).toContain('  … and 12 more');
    expect(lines).toContain('  openmates remote-access approve m3xw9a · openmates remote-access deny m3xw9a [--reason TEXT]');
    expect(lines.at(-1)).toBe('  This request cannot be approved for the session: it is destructive, so each one is asked on its own.');
  });

  it('a service change carries the disruption text; a command its cwd, reasons and what it may touch', () => {
    const restart = approvalLines(timed(restartApproval()), { color: false, now: NOW });
    expect(restart).toContain('  Restart openmates-core: its 4 services stop and start again.');
    expect(restart).toContain('  Downtime about a minute, until every service is healthy again');
    expect(restart).toContain('  Services api, web, worker, cache');
    expect(restart).toContain('  ! People using OpenMates are disconnected until it is back.');
    expect(restart).toContain('  Undo     not possible: a restart cannot be undone, but nothing is lost');

    const command = approvalLines(
      timed(writeApproval({ op: 'exec', headline: 'Run rm -rf build in /srv/app', details: { kind: 'command', command: 'rm -rf build', cwd: '/srv/app', reasons: ['rm deletes files'], category: 'delete', mayTouch: ['files under /srv/app'], destructive: true } })),
      { color: false, now: NOW },
    );
    expect(command).toContain('  Command   rm -rf build');
    expect(command).toContain('  In        /srv/app');
    expect(command).toContain('  Why asked rm deletes files');
    expect(command).toContain('  May touch files under /srv/app');
    expect(command).toContain('  ! Destructive: it may delete or overwrite data');
  });

  it('move, copy and mkdir', () => {
    const move = approvalLines(timed(writeApproval({ details: { kind: 'move', src: '/a/x', dst: '/b/x', bytes: 5, overwrites: true } })), { color: false, now: NOW });
    expect(move).toContain('  Moves   /a/x → /b/x (5 B)');
    expect(move).toContain('  ! Overwrites the existing /b/x');
    const mkdir = approvalLines(timed(writeApproval({ details: { kind: 'mkdir', path: '/a/new', parents: true } })), { color: false, now: NOW });
    expect(mkdir).toContain('  Creates the folder /a/new (and any missing parents)');
  });

  it('a decided one says how it ended and who decided, instead of how to decide', () => {
    const denied = timed(writeApproval({ state: 'denied', decidedBy: { via: 'device', name: 'tablet', deviceId: 'd2' }, reason: 'wrong port' }));
    const lines = approvalLines(denied, { color: false, now: NOW });
    expect(lines[0]).toBe('k7p2qd  denied  Write /srv/app/config.yml');
    expect(lines).toContain('  Outcome Denied by tablet (device): wrong port');
    expect(lines.join('\n')).not.toContain('remote-access approve');
    const mine = timed(writeApproval({ state: 'approved', forSession: true, decidedBy: { via: 'cli', name: 'root on this server (openmates remote-access)' } }));
    expect(approvalLines(mine, { color: false, now: NOW, self: 'cli' })).toContain('  Outcome Approved for the session by you');
    expect(approvalLines(mine, { color: false, now: NOW })).toContain('  Outcome Approved for the session by root on this server (openmates remote-access)');
    expect(outcomeText(timed(writeApproval({ state: 'expired', decidedBy: { via: 'agent', name: 'nobody' } })))).toBe('Expired: nobody answered in time');
    expect(outcomeText(timed(writeApproval({ state: 'cancelled', decidedBy: { via: 'agent', name: 'the caller' } })))).toBe('Cancelled by the caller');
    expect(approvalLines(timed(writeApproval()), { color: false, now: NOW + 600_000 })).toContain('  Time    asked 12m 10s ago, expired');
  });

  it('small pieces: diff line styles and durations', () => {
    expect(['+++ b/x', '--- a/x', '+a', '-b', '@@ -1 +1 @@', ' c'].map(diffLineStyle)).toEqual(['dim', 'dim', 'added', 'removed', 'hunk', 'plain']);
    expect([0, 59_999, 60_000, 3_725_000, -5].map(durationText)).toEqual(['0s', '59s', '1m 00s', '1h 02m', '0s']);
  });
});

describe('texts from a remote request are made printable', () => {
  it('shows escape sequences, newlines and bidi overrides instead of obeying them; tabs become spaces', () => {
    expect(printableLine('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(printableLine('evil\nname')).toBe('evil\\x0aname');
    expect(printableLine('x\u202eyz')).toBe('x\\u202eyz');
    expect(printableLine('\x9b31m')).toBe('\\x9b31m');
    expect(printableLine('ab\tc')).toBe('ab      c');
    expect(printable('+a\tb\n-\x07c')).toBe('+a      b\n-\\x07c');
    expect(printableLine('grüße ✓ 名前')).toBe('grüße ✓ 名前');
  });

  it('approvalLines never prints a control character the request carried', () => {
    const base = writeApproval().details as Extract<Approval['details'], { kind: 'write' }>;
    const evil = timed(
      writeApproval({
        headline: 'Write x\x1b[2J',
        targets: ['/srv/a\nb'],
        device: { id: 'd', name: 'ph\x1bone', role: 'operator' },
        details: { ...base, path: '/srv/a\nb', diff: '@@ -1 +1 @@\n-old\r\n+new\x1b]0;owned\x07\n' },
      }),
    );
    const text = approvalLines(evil, { color: false, now: NOW }).join('\n');
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('k7p2qd  PENDING  Write x\\x1b[2J');
    expect(text).toContain('Target  /srv/a\\x0ab');
    expect(text).toContain('    -old\\x0d');
    expect(text).toContain('    +new\\x1b]0;owned\\x07');
  });
});
