import { Box, Text } from 'ink';
import type { DestructivePlan } from '../../core/safety/types.js';
import { Menu } from '../components/Menu.js';
import { symbols } from '../components/theme.js';
import { formatAge, formatBytes } from '../format.js';

export type BackupChoice = 'backup' | 'skip';

/** When the last backup was (or that there is none), and the offer to make one now. */
export function BackupAdvice({ plan }: { plan: DestructivePlan }) {
  const { backup } = plan;
  return (
    <Box flexDirection="column">
      {backup.last ? (
        <Text wrap="truncate-end">
          <Text color="green">{symbols.ok}</Text> Last backup of {plan.project}: <Text bold>{formatAge(backup.last.createdAt)}</Text>
          <Text dimColor>
            {' '}
            ({backup.last.createdAt}, {formatBytes(backup.last.bytes)})
          </Text>
        </Text>
      ) : (
        <Text>
          <Text color="yellow">{symbols.warning}</Text> There is <Text bold>no backup</Text> of {plan.project}: once deleted, the data is gone.
        </Text>
      )}
      {backup.last ? (
        <Text dimColor wrap="truncate-middle">
          {'  '}
          {backup.last.file}
        </Text>
      ) : null}
      {!backup.supported ? <Text dimColor>{backup.unavailable ?? 'No backup can be made now.'}</Text> : null}
    </Box>
  );
}

export function BackupOffer({ plan, onChoose, isActive }: { plan: DestructivePlan; onChoose: (choice: BackupChoice) => void; isActive: boolean }) {
  const items = plan.backup.supported
    ? [
        { value: 'backup' as const, label: 'Make a backup now, then go on' },
        { value: 'skip' as const, label: 'Go on without a new backup' },
      ]
    : [{ value: 'skip' as const, label: 'Go on without a backup' }];
  return (
    <Box flexDirection="column">
      <BackupAdvice plan={plan} />
      <Box marginTop={1}>
        <Menu items={items} onSelect={onChoose} isActive={isActive} />
      </Box>
    </Box>
  );
}
