import type { InstanceStatus } from '../core/status/types.js';
import type { HomeMenuItem } from './instance-summary.js';

/**
 * The home menu's entry for an interrupted update, which comes before anything else. A newer
 * release has no entry, only the notice and the u key: the check ends after the menu is drawn,
 * and an entry appearing then would move the cursor under the user's hands.
 */
export function updateMenuItem(status: Pick<InstanceStatus, 'installed' | 'interruptedUpdate' | 'version'> | undefined): HomeMenuItem | undefined {
  const pending = status?.interruptedUpdate;
  return pending && !pending.running ? { value: 'update', label: `Finish update to ${pending.to}` } : undefined;
}
