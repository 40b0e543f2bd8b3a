/** The steps of an update run, in order, so a face can list them before they start. */
export function forwardSteps(from: string, to: string, imageCount: number, startAt: 'pull' | 'switch'): { id: string; title: string }[] {
  const all = [
    { id: 'pull', title: `Pulling ${imageCount} image${imageCount === 1 ? '' : 's'} of ${to}` },
    { id: 'backup', title: 'Backing up the data volumes and the config' },
    { id: 'switch', title: `Switching ${from} → ${to}` },
    { id: 'start', title: `Recreating the services on ${to}` },
    { id: 'health', title: `Waiting for ${to} to become healthy` },
  ];
  return startAt === 'pull' ? all : all.slice(2);
}

export function rollbackSteps(from: string, restore: boolean): { id: string; title: string }[] {
  return [
    { id: 'rollback', title: `Rolling back to ${from}` },
    // A restore starts the stack itself.
    ...(restore ? [{ id: 'restore', title: 'Restoring the data volumes from the pre-update backup' }] : [{ id: 'rollback-start', title: `Recreating the services on ${from}` }]),
    { id: 'rollback-health', title: `Waiting for ${from} to become healthy` },
  ];
}
