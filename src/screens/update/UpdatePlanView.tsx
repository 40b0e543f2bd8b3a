import { Box, Text } from 'ink';
import { basename } from 'node:path';
import type { BackupInfo } from '../../core/backup/types.js';
import type { UpdatePlan } from '../../core/update/types.js';
import { Facts } from '../components/Facts.js';
import { symbols } from '../components/theme.js';
import { formatBytes } from '../format.js';

/** What an update will do, before it starts: versions, images, the backup, disk, the health deadline. */
export function UpdatePlanView({ plan, lastBackup }: { plan: UpdatePlan; lastBackup?: BackupInfo | undefined }) {
  const here = plan.images.length - plan.imagesToPull.length;
  const facts = [
    { label: 'Pull', value: `${plan.images.length} image${plan.images.length === 1 ? '' : 's'} of ${plan.target}${here > 0 ? `, ${here} already here` : ''}` },
    ...(plan.targetCommit ? [{ label: 'Compose', value: `the compose file of ${plan.target}, from commit ${plan.targetCommit}` }] : []),
    {
      label: 'Backup',
      value: `${plan.backup.volumes.join(', ') || 'no data volumes'}${plan.backup.estimatedBytes !== undefined ? ` (${formatBytes(plan.backup.estimatedBytes)})` : ''}, ${plan.backup.includes.join(', ')} → ${plan.backup.directory}`,
    },
    ...plan.disk.map((place) => ({
      label: 'Disk',
      value: `${place.what}: ${place.freeBytes === undefined ? 'free space unknown' : `${formatBytes(place.freeBytes)} free`}, about ${formatBytes(place.neededBytes)} needed${place.enough === false ? ' (not enough)' : ''}`,
    })),
    { label: 'Health', value: `up to ${plan.healthTimeout} s; if ${plan.target} is not healthy by then, ${plan.current} is put back by itself` },
    ...(lastBackup ? [{ label: 'Last backup', value: `${basename(lastBackup.file)} (${lastBackup.reason}, ${lastBackup.createdAt.replace('T', ' ').slice(0, 16)})` }] : []),
  ];
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {plan.project} {plan.current} → <Text color="cyan">{plan.target}</Text>
        {plan.latest && plan.latest !== plan.target ? <Text dimColor> (newest: {plan.latest})</Text> : null}
      </Text>
      <Box marginTop={1} marginLeft={2}>
        <Facts facts={facts} />
      </Box>
      {plan.warnings.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          {plan.warnings.map((warning) => (
            <Text key={warning} wrap="truncate-end">
              <Text color="yellow">{symbols.warning}</Text> {warning}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
