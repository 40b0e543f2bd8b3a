import type { RecoveryChoice, UpdateState } from './types.js';

/**
 * Which way an update run goes:
 * - forward from "pull" (nothing switched yet: pull, back up, switch, start, wait), or from
 *   "switch" (the backup is complete: switch, start, wait);
 * - back to the previous version, restoring the data volumes from `restoreFrom` when the new
 *   version may have written to them.
 */
export type UpdateRoute =
  | { kind: 'forward'; startAt: 'pull' | 'switch'; backupFile?: string }
  | { kind: 'back'; restoreFrom?: string; dataAtRisk: boolean };

/** The choices an interrupted update offers: a rollback that was under way can only be finished. */
export function recoveryChoices(state: UpdateState): RecoveryChoice[] {
  return state.phase === 'rolling-back' ? ['roll-back'] : ['finish', 'roll-back'];
}

/** What `--yes` does: finish what the user asked for, unless a rollback was already under way. */
export function defaultRecovery(state: UpdateState): RecoveryChoice {
  return state.phase === 'rolling-back' ? 'roll-back' : 'finish';
}

export function routeFor(state: UpdateState | undefined, choice: RecoveryChoice): UpdateRoute {
  if (!state) return { kind: 'forward', startAt: 'pull' };
  if (state.phase === 'rolling-back' || choice === 'roll-back') return rollbackRoute(state);
  if ((state.phase === 'switching' || state.phase === 'waiting') && state.backupFile) {
    return { kind: 'forward', startAt: 'switch', backupFile: state.backupFile };
  }
  // Interrupted while pulling or backing up: nothing was switched, so start over (a fresh backup).
  return { kind: 'forward', startAt: 'pull' };
}

/** Back to the previous version; its data is restored only when the new version may have written to it. */
export function rollbackRoute(state: UpdateState | undefined): Extract<UpdateRoute, { kind: 'back' }> {
  const started = state?.newVersionStarted ?? false;
  return { kind: 'back', ...(started && state?.backupFile ? { restoreFrom: state.backupFile } : {}), dataAtRisk: started && !state?.backupFile };
}

/** A phrase for where the update stopped, for the home screen and the CLI. */
export function phaseText(state: Pick<UpdateState, 'phase' | 'from' | 'to'>): string {
  switch (state.phase) {
    case 'pulling':
      return 'while pulling the new images (nothing was changed yet)';
    case 'backing-up':
      return 'while taking the pre-update backup';
    case 'switching':
      return `while switching to ${state.to}`;
    case 'waiting':
      return `while waiting for ${state.to} to become healthy`;
    case 'rolling-back':
      return `while rolling back to ${state.from}`;
  }
}
