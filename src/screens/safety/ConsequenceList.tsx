import { Box, Text } from 'ink';
import type { DestructivePlan, VolumeLoss } from '../../core/safety/types.js';
import { symbols } from '../components/theme.js';
import { fitText, formatBytes } from '../format.js';
import { plural } from '../../core/plural.js';

function size(volume: VolumeLoss): string {
  return volume.bytes === undefined ? 'size ?' : formatBytes(volume.bytes);
}

function VolumeRows({ volumes, mark, color, width }: { volumes: VolumeLoss[]; mark: string; color: string; width: number }) {
  const nameWidth = Math.min(Math.max(...volumes.map((volume) => volume.name.length)), Math.max(12, Math.floor(width / 2.5)));
  return (
    <>
      {volumes.map((volume) => (
        <Text key={volume.name} wrap="truncate-end">
          <Text color={color}>{mark}</Text> {fitText(volume.name, nameWidth)} <Text bold>{size(volume).padStart(8)}</Text>
          <Text dimColor> {volume.holds}</Text>
        </Text>
      ))}
    </>
  );
}

/** The total the volumes hold: "145 B", or "at least 2.1 GB" when some sizes are unknown. */
export function totalSize(volumes: VolumeLoss[]): string {
  const total = volumes.reduce((sum, volume) => sum + (volume.bytes ?? 0), 0);
  return `${volumes.some((volume) => volume.bytes === undefined) ? 'at least ' : ''}${formatBytes(total)}`;
}

/** What goes (every volume with its size and what lives there, every file), what else is removed, and what stays. */
export function ConsequenceList({ plan, width }: { plan: DestructivePlan; width: number }) {
  const deletes = plan.volumes.length > 0 || plan.files.length > 0;
  return (
    <Box flexDirection="column">
      <Text bold wrap="wrap">
        {plan.headline}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {deletes ? (
          <>
            <Text color="red" bold>
              Deletes, for good{plan.volumes.length > 0 ? ` (${plural(plan.volumes.length, 'volume')}, ${totalSize(plan.volumes)})` : ''}:
            </Text>
            <VolumeRows volumes={plan.volumes} mark={symbols.error} color="red" width={width} />
            {plan.files.map((file) => (
              <Text key={file.path} wrap="truncate-end">
                <Text color="red">{symbols.error}</Text> {file.path}
                <Text dimColor> {file.holds}</Text>
              </Text>
            ))}
          </>
        ) : (
          <Text color="green">{plan.action === 'uninstall' ? 'Deletes no data.' : 'There is no data to delete.'}</Text>
        )}
      </Box>
      {plan.alsoRemoved.length > 0 ? (
        <Text wrap="truncate-end">
          <Text dimColor>Also removes: </Text>
          {plan.alsoRemoved.join('; ')}
        </Text>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        <Text color="green" bold>
          Keeps:
        </Text>
        <VolumeRows volumes={plan.keptVolumes} mark={symbols.ok} color="green" width={width} />
        {plan.keeps.map((item) => (
          <Text key={item} wrap="truncate-end">
            <Text color="green">{symbols.ok}</Text> {item}
          </Text>
        ))}
      </Box>
      {plan.warnings.map((warning) => (
        <Text key={warning} color="yellow" wrap="truncate-end">
          {symbols.warning} {warning}
        </Text>
      ))}
    </Box>
  );
}
