import { describe, expect, it } from 'vitest';
import { defaultRecovery, recoveryChoices, routeFor } from '../../../../src/core/update/recovery.js';
import type { UpdatePhase, UpdateState } from '../../../../src/core/update/types.js';

const state = (phase: UpdatePhase, extra: Partial<UpdateState> = {}): UpdateState => ({
  format: 1,
  from: 'v1.0.0',
  to: 'v1.1.0',
  phase,
  startedAt: '',
  updatedAt: '',
  pid: 1,
  newVersionStarted: phase === 'switching' || phase === 'waiting',
  ...(phase === 'switching' || phase === 'waiting' ? { backupFile: '/b.tar' } : {}),
  ...extra,
});

describe('the update state machine: where an interrupted update goes', () => {
  it('starts a fresh update at the pull', () => {
    expect(routeFor(undefined, 'finish')).toEqual({ kind: 'forward', startAt: 'pull' });
  });

  it.each([
    ['pulling', 'finish', { kind: 'forward', startAt: 'pull' }],
    ['backing-up', 'finish', { kind: 'forward', startAt: 'pull' }],
    ['switching', 'finish', { kind: 'forward', startAt: 'switch', backupFile: '/b.tar' }],
    ['waiting', 'finish', { kind: 'forward', startAt: 'switch', backupFile: '/b.tar' }],
    ['pulling', 'roll-back', { kind: 'back', dataAtRisk: false }],
    ['backing-up', 'roll-back', { kind: 'back', dataAtRisk: false }],
    ['switching', 'roll-back', { kind: 'back', restoreFrom: '/b.tar', dataAtRisk: false }],
    ['waiting', 'roll-back', { kind: 'back', restoreFrom: '/b.tar', dataAtRisk: false }],
    ['rolling-back', 'finish', { kind: 'back', dataAtRisk: false }],
  ] as const)('%s + %s', (phase, choice, route) => {
    expect(routeFor(state(phase), choice)).toEqual(route);
  });

  it('restores during a rollback only when the new version had started, from the backup it recorded', () => {
    expect(routeFor(state('rolling-back', { newVersionStarted: true, backupFile: '/b.tar' }), 'roll-back')).toEqual({ kind: 'back', restoreFrom: '/b.tar', dataAtRisk: false });
    expect(routeFor(state('rolling-back', { newVersionStarted: true }), 'roll-back')).toEqual({ kind: 'back', dataAtRisk: true });
  });

  it('a switch with no complete backup starts over instead of going on without one', () => {
    expect(routeFor(state('switching', { backupFile: undefined }), 'finish')).toEqual({ kind: 'forward', startAt: 'pull' });
  });

  it('offers finish or roll back, except during a rollback; --yes finishes', () => {
    expect(recoveryChoices(state('waiting'))).toEqual(['finish', 'roll-back']);
    expect(recoveryChoices(state('rolling-back'))).toEqual(['roll-back']);
    expect(defaultRecovery(state('backing-up'))).toBe('finish');
    expect(defaultRecovery(state('rolling-back'))).toBe('roll-back');
  });
});
