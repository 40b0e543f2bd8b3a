import type { InstanceStatus } from '../core/status/types.js';
import type { HomeMenuItem } from './instance-summary.js';
import type { UpdateCheckView } from './update-notice.js';

/** The home menu's update entry: resolving an interrupted update comes before anything else. */
export function updateMenuItem(status: InstanceStatus | undefined, updates: UpdateCheckView | undefined): HomeMenuItem {
  const pending = status?.interruptedUpdate;
  if (pending) return { value: 'update', label: `Finish or roll back the update to ${pending.to}` };
  const latest = updates?.state === 'done' ? updates.check.server?.latest : undefined;
  return { value: 'update', label: latest ? `Update to ${latest}` : 'Update' };
}
