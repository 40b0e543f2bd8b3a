import { Box, Text } from 'ink';
import { Facts } from '../components/Facts.js';
import { symbols } from '../components/theme.js';
import { formatBytes } from '../format.js';
import { plural } from '../../core/plural.js';
import type { FlowResult } from './DestructiveFlow.js';

const TITLES = { reset: 'Reset', uninstall: 'Uninstalled', restore: 'Restored' } as const;

/** After the action: what was deleted (volumes with sizes, files), what was removed, what stays, what next. */
export function DeletionSummary({ result, width }: { result: FlowResult; width: number }) {
  const removed = [
    ...(result.removedContainers > 0 ? [plural(result.removedContainers, 'container')] : []),
    ...result.removedNetworks.map((network) => `the network ${network}`),
  ];
  const fresh = result.freshInstall;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text color="green">{symbols.ok}</Text>
        <Text bold>
          {' '}
          {TITLES[result.action]} {result.project}
        </Text>
        <Text dimColor> in {result.installDir}</Text>
      </Text>
      {result.backupFile ? (
        <Text wrap="truncate-middle">
          <Text dimColor>Backup made first: </Text>
          {result.backupFile}
        </Text>
      ) : null}
      {result.deletedVolumes.length > 0 || result.deletedFiles.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Deleted:</Text>
          {result.deletedVolumes.map((volume) => (
            <Text key={volume.name} wrap="truncate-end">
              <Text color="red">{symbols.error}</Text> volume {volume.name}
              {volume.bytes === undefined ? '' : <Text dimColor> ({formatBytes(volume.bytes)})</Text>}
            </Text>
          ))}
          {result.deletedFiles.length > 0 ? (
            <Text wrap="truncate-end">
              <Text color="red">{symbols.error}</Text> {result.deletedFiles.join(', ')}
            </Text>
          ) : null}
        </Box>
      ) : (
        <Box marginTop={1}>
          <Text>No data was deleted.</Text>
        </Box>
      )}
      {removed.length > 0 ? (
        <Text wrap="truncate-end">
          <Text dimColor>Removed: </Text>
          {removed.join(', ')}
        </Text>
      ) : null}
      <Box flexDirection="column" marginTop={1}>
        <Text bold>Kept:</Text>
        {result.kept.map((item) => (
          <Text key={item} wrap="truncate-end">
            <Text color="green">{symbols.ok}</Text> {item}
          </Text>
        ))}
      </Box>
      {fresh ? (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Text color="green">{symbols.ok}</Text> Started fresh: {plural(fresh.services.length, 'service')} ready.
          </Text>
          <Box marginLeft={2}>
            <Facts facts={[...fresh.urls.map((url) => ({ label: url.name, value: url.url })), ...(fresh.shownSecret ? [{ label: 'Invite code', value: fresh.shownSecret.value }] : [])]} />
          </Box>
        </Box>
      ) : null}
      {result.next.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          {result.next.map((line) => (
            <Text key={line} dimColor wrap="wrap">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
